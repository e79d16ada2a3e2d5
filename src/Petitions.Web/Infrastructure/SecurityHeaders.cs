using Microsoft.AspNetCore.Http.Metadata;

namespace Petitions.Web.Infrastructure;

public static class SecurityHeaders
{
    // Every asset is self-hosted; Bootstrap's form controls use data: SVGs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    // For pages made to be embedded anywhere (the petition widget): any site may frame them.
    private const string FramableContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; " +
        "form-action 'self'; frame-ancestors *; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            // The endpoint is known only after routing, so framing is decided as the response starts.
            context.Response.OnStarting(() =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<AllowFramingAttribute>() is not null)
                {
                    headers.ContentSecurityPolicy = FramableContentSecurityPolicy;
                    headers.Remove("X-Frame-Options");
                }

                return Task.CompletedTask;
            });
            await next(context);
        });

    /// <summary>
    /// A visitor who leaves mid-request is not a server error: without this, the cancelled request is logged as a
    /// failed 500. 499 is the status nginx uses for "client closed request".
    /// </summary>
    public static IApplicationBuilder UseClientAbortHandling(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = 499;
                }
            }
        });

    /// <summary>
    /// Refuses bodies over an endpoint's [RequestSizeLimit] with 413 before they are read, and turns Kestrel's own
    /// "request too large" errors into the same status instead of a 500.
    /// </summary>
    public static IApplicationBuilder UseRequestSizeLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            if (limit is not null && context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = ex.StatusCode;
            }
            catch (InvalidDataException) when (!context.Response.HasStarted)
            {
                // Form limits exceeded while reading the body.
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            }
        });
}

/// <summary>Lets other sites show this endpoint in a frame (<c>frame-ancestors *</c>); every other page refuses.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AllowFramingAttribute : Attribute;
