using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Petitions.Web.Infrastructure;

public static class RateLimits
{
    public const string SignPolicy = "sign";
    public const string AccountPolicy = "account";

    public static IServiceCollection AddPetitionRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            // An empty body lets the status-code pages render the readable 429 page.
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignPolicy, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value.SignPermitsPerMinute;
                return PerIpPerMinute(context, permits);
            });
            limiter.AddPolicy(AccountPolicy, context => PerIpPerMinute(context, 20));
        });
        return services;
    }

    private static RateLimitPartition<string> PerIpPerMinute(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
