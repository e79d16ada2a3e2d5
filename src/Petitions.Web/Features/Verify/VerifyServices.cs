namespace Petitions.Web.Features.Verify;

public static class VerifyServices
{
    public static IServiceCollection AddVerify(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryTrees>();
        services.AddSingleton<SaltKeySealing>();
        services.AddHostedService(sp => sp.GetRequiredService<SaltKeySealing>());
        return services;
    }
}
