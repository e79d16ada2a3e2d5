using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Counting;

public static class CountingServices
{
    public static IServiceCollection AddCounting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CountingOptions, CountingOptionsValidator>(configuration, CountingOptions.Section);
        services.AddSingleton<CountingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<CountingWorker>());
        return services;
    }
}
