using Microsoft.AspNetCore.OutputCaching;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Infrastructure.Caching;

namespace Petitions.Web.Features.Browse;

/// <summary>
/// Output caching for the JSON API, like the petition page: rendered at most once a second per distinct answer. The key
/// holds only what changes the answer (the slug; the list's filter and cursor, as canonical parameters), so a random
/// query string is served from the same copy. The petition page's tag is on these too, so whatever forgets cached
/// pages (an edit, an update, a delivery, a response) forgets the JSON with them.
/// </summary>
public static class OpenDataCache
{
    public const string PetitionPolicy = "open-data-petition";
    public const string ListPolicy = "open-data-list";
    public const string Tag = "open-data";

    private static readonly TimeSpan Lifetime = PublicPages.Lifetime;

    public static void AddPolicies(OutputCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(PetitionPolicy, policy => policy
            .AddPolicy<PublicResponsePolicy>()
            .AddPolicy<CacheVariants>()
            .Expire(Lifetime)
            .Tag(PetitionsController.PagePolicy, Tag), excludeDefaultPolicy: true);
        options.AddPolicy(ListPolicy, policy => policy
            .AddPolicy<PublicResponsePolicy>()
            .VaryByValue(context => new KeyValuePair<string, string>("list", CanonicalListQuery(context.Request.Query)))
            .AddPolicy<CacheVariants>()
            .Expire(Lifetime)
            .Tag(PetitionsController.PagePolicy, Tag), excludeDefaultPolicy: true);
    }

    /// <summary>The list's parameters as the API itself writes them: unknown values fall back to the defaults, as the list does.</summary>
    public static string CanonicalListQuery(IQueryCollection query)
    {
        string? First(string key) => query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;
        var request = BrowseRequest.Parse(First("status"), First("category"), First("sort"), First("after"), First("before"));
        return request.Problem is null ? BrowseRequest.Query(request.Filter, request.After, request.Before).Value ?? "" : "invalid";
    }

    /// <summary>
    /// Caches successful GETs for everyone, signed in or not (ASP.NET Core's default policy skips signed-in users): the
    /// JSON is the same whoever asks, and a session cookie must not be a way around the cache. Nothing from the query
    /// string is in the key unless a policy after this one adds it.
    /// </summary>
    private sealed class PublicResponsePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var method = context.HttpContext.Request.Method;
            var cacheable = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            // One request renders a missing entry while the others wait for it, instead of all querying at once.
            context.AllowLocking = true;
            context.CacheVaryByRules.QueryKeys = default;
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }
    }
}
