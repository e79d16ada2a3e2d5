using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Petitions.Web.Features.Browse;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Infrastructure.Caching;

/// <summary>
/// Marks a GET whose anonymous answer is the same for everyone (petition page, home, browse, search, JSON API): it
/// sets no cookie, and goes out compressed, with an ETag and a Cache-Control that lets a CDN or nginx keep it for the
/// counting interval. Signed-in visitors get their own uncached page.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class PublicPageAttribute : Attribute
{
    /// <summary>The answer holds nothing about the visitor even when signed in (the JSON API): cached for everyone.</summary>
    public bool SameForEveryone { get; init; }
}

public static class PublicPages
{
    public const string HomePolicy = "home-page";
    public const string BrowsePolicy = "browse-page";
    public const string SearchPolicy = "search-page";

    /// <summary>How long the app itself keeps a rendered page; the count lags by at most this (issue 5).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddPublicPages(this IServiceCollection services)
    {
        services.AddSingleton<RequestOrigin>();
        services.AddOutputCache(options =>
        {
            // The default policy (first) caches only anonymous 200s without Set-Cookie; no query string is in the key
            // unless a policy names it, so ?utm_source=… is served from the same copy.
            // ?original=1 shows the original text instead of the page language's translation: a URL of its own.
            options.AddPolicy(PetitionsController.PagePolicy, policy => policy
                .SetVaryByQuery(Features.Translations.TranslatedText.OriginalQuery).AddPolicy<CacheVariants>().Expire(Lifetime).Tag(PetitionsController.PagePolicy));
            options.AddPolicy(HomePolicy, policy => policy
                .SetVaryByQuery([]).AddPolicy<CacheVariants>().Expire(Lifetime).Tag(PetitionsController.PagePolicy));
            options.AddPolicy(BrowsePolicy, policy => policy
                .SetVaryByQuery([]).VaryByValue(context => new("list", OpenDataCache.CanonicalListQuery(context.Request.Query)))
                .AddPolicy<CacheVariants>().Expire(Lifetime).Tag(PetitionsController.PagePolicy));
            options.AddPolicy(SearchPolicy, policy => policy
                .SetVaryByQuery("q", "page").AddPolicy<CacheVariants>().Expire(Lifetime).Tag(PetitionsController.PagePolicy));
            OpenDataCache.AddPolicies(options);
        });
        return services;
    }

    /// <summary>Inside the output cache, so what it stores is already compressed and carries these headers.</summary>
    public static IApplicationBuilder UsePublicPages(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var counting = app.ApplicationServices.GetRequiredService<IOptions<CountingOptions>>().Value;
        // A shared cache may keep the page as long as the count takes to move; browsers revalidate after a second.
        var sharedSeconds = Math.Max(1, (int)Math.Ceiling(counting.IntervalSeconds));
        var cacheControl = string.Create(CultureInfo.InvariantCulture,
            $"public, max-age=1, s-maxage={sharedSeconds}, stale-while-revalidate=30, stale-if-error=86400");
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            var marker = context.GetEndpoint()?.Metadata.GetMetadata<PublicPageAttribute>();
            if (marker is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                await next(context);
                return;
            }

            var response = context.Response;
            if (!marker.SameForEveryone && context.User.Identity?.IsAuthenticated == true)
            {
                response.OnStarting(() =>
                {
                    response.Headers.CacheControl = "private, no-store";
                    return Task.CompletedTask;
                });
                await next(context);
                return;
            }

            var original = response.Body;
            using var buffer = new MemoryStream();
            response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                response.Body = original;
            }

            if (buffer.Length == 0)
            {
                // Nothing rendered (a 404): leave the body to the status-code pages.
                return;
            }

            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0 || response.Headers.ContentEncoding.Count > 0)
            {
                response.ContentLength = body.Length;
                await original.WriteAsync(body, context.RequestAborted);
                return;
            }

            var coding = ContentCodings.Choose(request.Headers.AcceptEncoding);
            var encoded = ContentCodings.Encode(body.Span, coding);
            var headers = response.Headers;
            headers.CacheControl = cacheControl;
            headers.Pragma = default;
            headers.Expires = default;
            headers.Vary = "Accept-Encoding";
            headers.ETag = ETag(body.Span, coding);
            if (coding != ContentCodings.Identity)
            {
                headers.ContentEncoding = coding;
            }

            response.ContentLength = encoded.Length;
            await original.WriteAsync(encoded, context.RequestAborted);
        });
    }

    /// <summary>A strong validator of this representation: the content's hash, and the coding it is sent in.</summary>
    private static string ETag(ReadOnlySpan<byte> content, string coding)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12));
        return coding == ContentCodings.Identity ? $"\"{hash}\"" : $"\"{hash}-{coding}\"";
    }
}

/// <summary>
/// One cached copy per content coding. Languages will come as a URL prefix (/fa/p/{slug}); the path is already in
/// the key, and a "lang" route value added here would make the variant explicit.
/// </summary>
public sealed class CacheVariants : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.CacheVaryByRules.VaryByValues["coding"] = ContentCodings.Choose(context.HttpContext.Request.Headers.AcceptEncoding);
        context.CacheVaryByRules.VaryByValues["lang"] = Localization.LanguagePrefix.Language(context.HttpContext).Code;
        context.AllowLocking = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}
