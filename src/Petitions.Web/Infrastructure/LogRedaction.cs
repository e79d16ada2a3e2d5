namespace Petitions.Web.Infrastructure;

/// <summary>Keeps secrets in URLs (confirmation, access and unsubscribe tokens) out of the logs.</summary>
public static class LogRedaction
{
    /// <summary>For routes with a {token} parameter, the route template stands in for the real path.</summary>
    public static string SafePath(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint route && route.RoutePattern.Parameters.Any(p => p.Name.Contains("token", StringComparison.OrdinalIgnoreCase)))
        {
            return route.RoutePattern.RawText ?? "[redacted]";
        }

        return context.Request.Path.Value ?? "";
    }
}
