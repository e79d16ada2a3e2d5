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

    private static readonly byte[] PlaceholderBytes = Encoding.ASCII.GetBytes(Placeholder);

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

            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var hole = body.Span.IndexOf(PlaceholderBytes);
            if (hole < 0)
            {
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
                return;
            }

            // Sets the cookie when the visitor has none, and no-store headers: this response is theirs alone.
            var token = Encoding.ASCII.GetBytes(context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!);
            var parts = new List<ReadOnlyMemory<byte>>();
            while (hole >= 0)
            {
                parts.Add(body[..hole]);
                parts.Add(token);
                body = body[(hole + PlaceholderBytes.Length)..];
                hole = body.Span.IndexOf(PlaceholderBytes);
            }

            parts.Add(body);
            context.Response.ContentLength = parts.Sum(part => (long)part.Length);
            foreach (var part in parts)
            {
                await context.Response.Body.WriteAsync(part, context.RequestAborted);
            }
        });
}
