using Microsoft.Extensions.Options;

namespace Petitions.Web.Infrastructure;

public enum OriginVerdict
{
    /// <summary>The browser says the form came from this site.</summary>
    SameOrigin,

    /// <summary>The browser says it came from elsewhere: refuse.</summary>
    Foreign,

    /// <summary>Neither Origin nor Sec-Fetch-Site was sent (an old browser, or not a browser): only a token can tell.</summary>
    Unknown,
}

/// <summary>Marks a form that anonymous visitors may post without an antiforgery token when their browser vouches for the origin.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TokenlessForAnonymousAttribute : Attribute;

/// <summary>
/// Where an unsafe request came from, by the headers every current browser sends with a POST: Fetch Metadata
/// (Sec-Fetch-Site) and Origin. Cookies are not involved, so a cached page can hold a form without a per-visitor token.
/// The site's own origin is Site__BaseUrl (what visitors see, also behind a TLS-terminating proxy that does not pass the
/// scheme on) or the request's own scheme and host (as the trusted-proxy middleware leaves them): a browser only sends
/// an Origin equal to the address it posts to when the form was on that very origin.
/// </summary>
public sealed class RequestOrigin(IOptions<SiteOptions> site)
{
    private readonly string? siteOrigin = Normalize(site.Value.BaseUrl);

    public OriginVerdict Judge(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return OriginVerdict.Foreign;
        }

        if (origin.Length > 0)
        {
            // "null" (a sandboxed frame, a data: page, some redirects) is never this site.
            var given = Normalize(origin);
            var own = Normalize($"{request.Scheme}://{request.Host.Value}");
            return given is not null && (string.Equals(given, siteOrigin, StringComparison.Ordinal) || string.Equals(given, own, StringComparison.Ordinal))
                ? OriginVerdict.SameOrigin
                : OriginVerdict.Foreign;
        }

        if (fetchSite.Length > 0)
        {
            // same-site is a sibling host (another subdomain), which may be someone else's.
            return fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? OriginVerdict.SameOrigin
                : OriginVerdict.Foreign;
        }

        return OriginVerdict.Unknown;
    }

    /// <summary>scheme://host[:port] in lower case, without a default port; null when it is not an http(s) origin.</summary>
    private static string? Normalize(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
}
