using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Petitions.Web.Features.Moderation;
using Petitions.Web.Features.Reporting;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Admin;

public static class AdminServices
{
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ModerationOptions, ModerationOptionsValidator>(configuration, ModerationOptions.Section);
        services.AddScoped<AuditLog>();
        services.AddScoped<ModerationQueries>();
        services.AddScoped<ModerationDecisions>();
        services.AddScoped<ReportHandler>();
        services.AddSingleton<SigningPause>();
        services.AddScoped<SigningPauseActions>();
        services.AddScoped<SigningBlocks>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminRoles.ModerationPolicy, policy => policy.RequireRole(AdminRoles.Admin, AdminRoles.Moderator))
            .AddPolicy(AdminRoles.AdminPolicy, policy => policy.RequireRole(AdminRoles.Admin));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminForbidden>();
        return services;
    }

    /// <summary>
    /// A signed-in visitor without the role gets a plain 403 on the admin pages, instead of the cookie handler's
    /// redirect to the login page (which reads as "log in again" to someone already logged in).
    /// </summary>
    private sealed class AdminForbidden : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler fallback = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden && context.Request.Path.StartsWithSegments("/admin"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
