namespace Petitions.Web.Features.MySignatures;

public static class MySignaturesServices
{
    public static IServiceCollection AddMySignatures(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<MySession>();
        services.AddScoped<MyLinks>();
        return services;
    }
}
