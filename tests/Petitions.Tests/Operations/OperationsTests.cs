using System.Net;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Operations;

public sealed class OperationsTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Get_HealthEndpoint_Returns200Healthy(string path)
    {
        using var browser = App.CreateBrowser();

        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/p/{slug}")]
    [InlineData("/no-such-page")]
    public async Task Get_AnyPage_HasSecurityHeaders(string path)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync(path.Replace("{slug}", petition.Slug, StringComparison.Ordinal));

        var csp = page.Headers["Content-Security-Policy"];
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers["X-Content-Type-Options"]);
        Assert.Equal("strict-origin-when-cross-origin", page.Headers["Referrer-Policy"]);
    }

    [Fact]
    public async Task Get_UnknownPath_ShowsCustom404Page()
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/this/page/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.StartsWith("Page not found", page.Title, StringComparison.Ordinal);
        Assert.NotNull(page.Find("header nav"));
        Assert.Equal("/", page.One("main a[href='/']").GetAttribute("href"));
    }

    [Fact]
    public async Task Get_HomePage_ListsOpenPetitions()
    {
        var petition = await new PetitionBuilder().WithTitle("Bring back the 42 bus").WithSignatureCount(10).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.All($"a[href='/p/{petition.Slug}']"), a => a.TextContent.Contains("Bring back the 42 bus", StringComparison.Ordinal));
    }
}
