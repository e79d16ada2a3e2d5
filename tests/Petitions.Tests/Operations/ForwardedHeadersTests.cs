using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Operations;

/// <summary>
/// Behind a reverse proxy (issue 9, item 2): X-Forwarded-For and X-Forwarded-Proto count only when they come from a
/// configured proxy, so rate limits see each real client and cookies are Secure behind TLS termination.
/// </summary>
public sealed partial class ForwardedHeadersTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string ForgotForm = "form[action='/account/forgot-password']";
    private static readonly IPAddress Proxy = IPAddress.Parse("10.20.0.5");
    private static readonly IPAddress ProxyInNetwork = IPAddress.Parse("10.30.7.9");

    [Fact]
    public async Task Post_ClientsBehindATrustedProxy_EachHaveTheirOwnRateLimit()
    {
        await using var site = BehindProxy();
        using var first = ThroughProxy(site, Proxy, "203.0.113.10");
        using var second = ThroughProxy(site, Proxy, "203.0.113.11");
        using var third = ThroughProxy(site, ProxyInNetwork, "2001:db8:1:2::7");

        await ExhaustAccountLimitAsync(first);

        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyForgotFormAsync(second));
        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyForgotFormAsync(third));
    }

    [Fact]
    public async Task Post_ForwardedForFromAnUntrustedAddress_IsIgnored()
    {
        await using var site = BehindProxy();

        // Someone who reaches the app directly cannot pick a fresh address for every request.
        using var direct = ThroughProxy(site.Server, IPAddress.Parse("10.20.0.6"), () => $"203.0.113.{Random.Shared.Next(1, 250)}");

        await ExhaustAccountLimitAsync(direct);
    }

    [Fact]
    public async Task Post_NoProxyConfigured_TrustsNobodyNotEvenLoopback()
    {
        using var fromLoopback = ThroughProxy(App.Server, IPAddress.Loopback, () => $"203.0.113.{Random.Shared.Next(1, 250)}");

        await ExhaustAccountLimitAsync(fromLoopback);
    }

    [Fact]
    public async Task Get_HttpsAtATrustedProxy_SecureCookiesAndHsts()
    {
        await using var site = BehindProxy(production: true);
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = ThroughProxy(site, Proxy, "203.0.113.20", https: true);

        var login = await browser.GetAsync("/account/login");

        Assert.Contains("max-age=31536000", login.Headers.GetValueOrDefault("Strict-Transport-Security") ?? "", StringComparison.Ordinal);
        Assert.Contains("secure", SetCookie(login, "petitions.af"), StringComparison.OrdinalIgnoreCase);
        var loggedIn = await browser.SubmitAsync(login.Form(AccountSteps.LoginForm), [new("Email", user.Email), new("Password", user.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.Status);
        Assert.Contains("secure", SetCookie(loggedIn, "petitions.auth"), StringComparison.OrdinalIgnoreCase);
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task Get_HttpsClaimedByAnUntrustedAddress_IsIgnored()
    {
        await using var site = BehindProxy(production: true);
        using var browser = ThroughProxy(site, IPAddress.Parse("10.20.0.6"), "203.0.113.21", https: true);

        var login = await browser.GetAsync("/account/login");

        Assert.False(login.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.DoesNotContain("secure", SetCookie(login, "petitions.af"), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.300", "ForwardedHeaders__KnownProxies")]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.1, proxy.example", "ForwardedHeaders__KnownProxies")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/33", "ForwardedHeaders__KnownNetworks")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.1", "ForwardedHeaders__KnownNetworks")]
    public async Task Start_InvalidSetting_StopsWithAMessageNamingTheKey(string key, string value, string named)
    {
        await using var site = App.WithSettings((key, value));

        var failure = Record.Exception(() => site.Server);

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    private AppVariant BehindProxy(bool production = false) => App.WithHost(host =>
    {
        host.UseSetting("ForwardedHeaders:KnownProxies", $"{Proxy}, 10.20.0.99");
        host.UseSetting("ForwardedHeaders:KnownNetworks", "10.30.0.0/16");
        if (production)
        {
            host.UseEnvironment("Production");
        }
    });

    /// <summary>The account forms allow 20 posts a minute per client; the window may roll over mid-test, so look for the first refusal.</summary>
    private static async Task ExhaustAccountLimitAsync(TestBrowser browser)
    {
        var statuses = new List<HttpStatusCode>();
        while (statuses.Count < 60 && !statuses.Contains(HttpStatusCode.TooManyRequests))
        {
            statuses.Add(await PostEmptyForgotFormAsync(browser));
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.IndexOf(HttpStatusCode.TooManyRequests) >= 20, string.Join(",", statuses.Select(s => (int)s)));
    }

    private static async Task<HttpStatusCode> PostEmptyForgotFormAsync(TestBrowser browser)
    {
        var form = (await browser.GetAsync("/account/forgot-password")).Form(ForgotForm);
        return (await browser.SubmitAsync(form, [new("Email", "")])).Status;
    }

    /// <summary>The Set-Cookie header for one cookie (the page joins several with commas, and an expiry date holds one too).</summary>
    private static string SetCookie(HtmlPage page, string name)
    {
        var cookie = CookieSplit().Split(page.Headers.GetValueOrDefault("Set-Cookie") ?? "").SingleOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        Assert.True(cookie is not null, $"No {name} cookie was set");
        return cookie;
    }

    [GeneratedRegex(@", (?=[^;=\s]+=)")]
    private static partial Regex CookieSplit();

    private static TestBrowser ThroughProxy(AppVariant site, IPAddress proxy, string client, bool https = false) =>
        ThroughProxy(site.Server, proxy, () => client, https);

    /// <summary>
    /// A browser whose requests reach the app from <paramref name="proxy"/>, over plain HTTP, carrying the headers a
    /// TLS-terminating proxy adds. The browser itself speaks https when <paramref name="https"/>, so it keeps Secure cookies.
    /// </summary>
    private static TestBrowser ThroughProxy(Microsoft.AspNetCore.TestHost.TestServer server, IPAddress proxy, Func<string> client, bool https = false)
    {
        var toApp = server.CreateHandler(context =>
        {
            context.Connection.RemoteIpAddress = proxy;
            context.Request.Scheme = "http";
        });
        var handler = new CookieContainerHandler(new CookieContainer())
        {
            InnerHandler = new ForwardingHeaders(client, https ? "https" : "http") { InnerHandler = toApp },
        };
        // Not localhost: HSTS is never sent to localhost.
        return new TestBrowser(new HttpClient(handler) { BaseAddress = new Uri($"{(https ? "https" : "http")}://petitions.example.test") });
    }

    private sealed class ForwardingHeaders(Func<string> client, string scheme) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Forwarded-For", client());
            request.Headers.Add("X-Forwarded-Proto", scheme);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
