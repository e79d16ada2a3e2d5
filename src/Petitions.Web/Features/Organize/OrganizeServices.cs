namespace Petitions.Web.Features.Organize;

public static class OrganizeServices
{
    public static IServiceCollection AddOrganize(this IServiceCollection services)
    {
        services.AddSingleton<ClosingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ClosingWorker>());
        return services;
    }
}
