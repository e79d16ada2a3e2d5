using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Believes X-Forwarded-For and X-Forwarded-Proto only from the proxies in ForwardedHeaders__KnownProxies and
/// ForwardedHeaders__KnownNetworks, so behind a proxy the rate limits see each real client and HSTS and Secure cookies
/// follow the client's https. ASP.NET's default trust of loopback is removed: nothing is trusted unless configured.
/// X-Forwarded-Host is not used: links are built from Site__BaseUrl, never from the request's host.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProxyOptions, ProxyOptionsValidator>(configuration, ProxyOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.Proxies())
            {
                forwarded.KnownProxies.Add(proxy);
            }

            foreach (var network in proxies.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // Each hop is unwrapped only while the address it came from is a listed proxy, so a chain (CDN, then a
            // load balancer) works when every proxy in it is listed, and a client's own header is never believed.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>With no proxy configured the middleware is left out: given empty lists it would believe everyone.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var proxies = app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value;
        return proxies.Proxies().Any() || proxies.Networks().Any() ? app.UseForwardedHeaders() : app;
    }
}
