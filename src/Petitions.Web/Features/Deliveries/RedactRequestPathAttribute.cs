using Microsoft.AspNetCore.Mvc.Filters;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// ASP.NET Core puts the raw request path in the logging scope of every event written during a request, and the path
/// of a recipient's link holds their token. Inside this filter, for the action and its result, the scope carries the
/// route template instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RedactRequestPathAttribute : Attribute, IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<RedactRequestPathAttribute>>();
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestPath"] = LogRedaction.SafePath(context.HttpContext) }))
        {
            await next();
        }
    }
}
