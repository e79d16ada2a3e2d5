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

/// <summary>
/// ASP.NET Core attaches the raw request path to every log event written during a request; for token routes this
/// swaps it for the route template, so no log line anywhere carries a token.
/// </summary>
public sealed class SafeRequestPathEnricher(IHttpContextAccessor http) : Serilog.Core.ILogEventEnricher
{
    public void Enrich(Serilog.Events.LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        if (http.HttpContext is { } context && logEvent.Properties.ContainsKey("RequestPath"))
        {
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("RequestPath", LogRedaction.SafePath(context)));
        }
    }
}
