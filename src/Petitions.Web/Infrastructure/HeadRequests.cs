namespace Petitions.Web.Infrastructure;

public static class HeadRequests
{
    /// <summary>
    /// Answers HEAD as GET without a body on every page: CDNs, link checkers and uptime monitors use HEAD, and the
    /// routes are mapped for GET only. It runs before the output cache, which still stores the full GET body.
    /// </summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var body = context.Response.Body;
        context.Request.Method = HttpMethods.Get;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
            context.Request.Method = HttpMethods.Head;
        }
    });
}
