using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Per-client request limits, by policy. Each client is its address as <see cref="ClientKey"/> gives it (the real
/// client's behind a trusted proxy, see <see cref="TrustedProxies"/>).
/// </summary>
public static class RateLimits
{
    public const string SignPolicy = "sign";
    public const string AccountPolicy = "account";

    /// <summary>Posts to all the account forms together, per client per minute.</summary>
    public const int AccountPermitsPerClientPerMinute = 20;

    public static IServiceCollection AddPetitionRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            // An empty body lets the status-code pages render the readable 429 page.
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignPolicy, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value.SignPermitsPerMinute;
                return PerClientPerMinute(context, permits);
            });
            limiter.AddPolicy(AccountPolicy, context => PerClientPerMinute(context, AccountPermitsPerClientPerMinute));
        });
        return services;
    }

    /// <summary>
    /// Who a request comes from, for limits: its IPv4 address, or its IPv6 /64, since one home or server is usually
    /// given a whole /64 and could otherwise take a fresh address for every request.
    /// </summary>
    public static string ClientKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static RateLimitPartition<string> PerClientPerMinute(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            ClientKey(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>
/// The public JSON API's own limit per IP address, apart from the form limits above: a scraper or a busy embed uses up
/// its own bucket, never the signers'. A refusal is a JSON 429 with Retry-After, like the API's other errors.
/// </summary>
public static class ApiRateLimit
{
    public const string Policy = "api";

    public static IServiceCollection AddApiRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiRateLimitOptions>().Bind(configuration.GetSection(RateLimitingOptions.Section))
            .Validate(o => o.ApiPermitsPerMinute > 0, "RateLimiting__ApiPermitsPerMinute must be a positive number").ValidateOnStart();
        services.Configure<RateLimiterOptions>(limiter => limiter.AddPolicy<string, ApiRateLimitPolicy>(Policy));
        return services;
    }
}

public sealed class ApiRateLimitOptions
{
    /// <summary>Requests to /p/{slug}.json and /petitions.json per IP address per minute.</summary>
    public int ApiPermitsPerMinute { get; set; } = 300;
}

public sealed class ApiRateLimitPolicy(IOptions<ApiRateLimitOptions> options) : IRateLimiterPolicy<string>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        var response = context.HttpContext.Response;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.AccessControlAllowOrigin = "*";
        await response.WriteAsJsonAsync(
            new { error = "rate_limited", message = "Too many requests from your address. Wait a minute, then try again." }, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.ApiPermitsPerMinute, Window = Window, QueueLimit = 0 });
}
