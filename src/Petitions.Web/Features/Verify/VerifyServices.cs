namespace Petitions.Web.Features.Verify;

public static class VerifyServices
{
    public static IServiceCollection AddVerify(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryTrees>();
        return services;
    }
}
