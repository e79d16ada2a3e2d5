using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Integrity;

public static class IntegrityServices
{
    public static IServiceCollection AddIntegrity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<IntegrityOptions, IntegrityOptionsValidator>(configuration, IntegrityOptions.Section);
        services.AddScoped<SignatureIntegrity>();
        services.AddScoped<TrendingQueries>();
        services.AddSingleton<TrendingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TrendingWorker>());
        return services;
    }
}
