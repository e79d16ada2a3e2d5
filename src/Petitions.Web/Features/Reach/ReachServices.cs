using Petitions.Web.Features.Images;

namespace Petitions.Web.Features.Reach;

public static class ReachServices
{
    /// <summary>The widget, badge, feeds, sitemap and the petition image.</summary>
    public static IServiceCollection AddReachAndImages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPetitionImages(configuration);
        services.AddScoped<ReachQueries>();
        // Feeds, robots.txt and the sitemap: a minute old at most, and one query a minute however often they are read. One
        // copy per language (/fa/petitions.atom is not /petitions.atom), evicted with the pages when a petition is hidden.
        services.AddOutputCache(options => options.AddPolicy(ReachController.FeedPolicy, policy => policy
            .Expire(TimeSpan.FromMinutes(1))
            .SetVaryByQuery("category")
            .AddPolicy<Infrastructure.Caching.CacheVariants>()
            .Tag(Petitions.PetitionsController.PagePolicy)));
        return services;
    }
}
