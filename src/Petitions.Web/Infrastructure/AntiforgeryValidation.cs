using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Guards every unsafe request to a controller. A post the browser marks as coming from another site is refused (403).
/// A form marked <see cref="TokenlessForAnonymousAttribute"/> (the sign form on the cached petition page) needs no token
/// from an anonymous visitor whose browser vouches for the origin; every other form, and every form of a signed-in
/// user, needs its antiforgery token as AutoValidateAntiforgeryToken would (400 without). Error pages re-executed for
/// a failed POST are let through: they have no side effects, and refusing them again would leave a blank page.
/// </summary>
public sealed class AntiforgeryValidation(IAntiforgery antiforgery, RequestOrigin origins) : IAsyncAuthorizationFilter
{
    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || http.Features.Get<IExceptionHandlerPathFeature>() is not null)
        {
            return;
        }

        var verdict = origins.Judge(http.Request);
        if (verdict == OriginVerdict.Foreign)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        if (verdict == OriginVerdict.SameOrigin && http.User.Identity?.IsAuthenticated != true
            && context.ActionDescriptor.EndpointMetadata.OfType<TokenlessForAnonymousAttribute>().Any())
        {
            return;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            context.Result = new BadRequestResult();
        }
    }
}
