using System.Net;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Home;

/// <summary>The /error/{status} page, as the status-code pages re-execute it and as anyone can type it.</summary>
public sealed class ErrorPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("/error/99999")]
    [InlineData("/error/5")]
    [InlineData("/error/0")]
    [InlineData("/error/200")]
    [InlineData("/error/302")]
    [InlineData("/error/399")]
    [InlineData("/error/600")]
    [InlineData("/error/-1")]
    [InlineData("/error/2147483647")]
    public async Task Get_StatusOutsideTheErrorRange_IsNotFound(string path)
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
    }

    [Theory]
    [InlineData(400, "Something was wrong with that request")]
    [InlineData(404, "Page not found")]
    [InlineData(429, "Too many requests")]
    [InlineData(500, "Sorry, there is a problem with the service")]
    [InlineData(599, "Sorry, there is a problem with the service")]
    public async Task Get_ErrorStatus_ShowsItsPageWithThatStatus(int status, string heading)
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/error/{status}");

        Assert.Equal((HttpStatusCode)status, page.Status);
        Assert.Equal(heading, page.Text("h1"));
    }

    [Fact]
    public async Task Get_UnknownPage_IsReExecutedAsTheNotFoundPage()
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
    }
}
