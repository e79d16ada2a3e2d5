using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace Petitions.Web.Infrastructure;

/// <summary>Marks an endpoint whose HTML carries <see cref="AntiforgeryHoles.Placeholder"/> where the form token goes.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AntiforgeryHoleAttribute : Attribute;

/// <summary>
/// Lets a page with a form be output-cached: the cached HTML holds a placeholder instead of the antiforgery form token,
/// and each response gets a token of its own, tied to that visitor's antiforgery cookie, filled in here.
/// Runs outside the output cache, so it sees cached and freshly rendered pages alike.
/// </summary>
public static class AntiforgeryHoles
{
    public const string Placeholder = "__antiforgery_form_token__";

    public static IApplicationBuilder UseAntiforgeryHoles(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<AntiforgeryHoleAttribute>() is null)
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            if (buffer.Length == 0)
            {
                // Nothing rendered (e.g. a 404): leave the body to the status-code pages.
                return;
            }

            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (html.Contains(Placeholder, StringComparison.Ordinal))
            {
                // Sets the cookie when the visitor has none, and no-store headers: this response is theirs alone.
                var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
                html = html.Replace(Placeholder, tokens.RequestToken, StringComparison.Ordinal);
            }

            var bytes = Encoding.UTF8.GetBytes(html);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });
}
