namespace Petitions.Web.Domain;

public static class DomainServices
{
    /// <summary>What several features share: the site's links and the lookup of a petition its user may manage.</summary>
    public static IServiceCollection AddDomain(this IServiceCollection services)
    {
        services.AddSingleton<SiteLinks>();
        services.AddScoped<ManagedPetitions>();
        return services;
    }
}
