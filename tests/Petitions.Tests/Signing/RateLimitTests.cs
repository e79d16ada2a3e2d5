using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Signing;

public sealed class RateLimitTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_OverTheLimit_Returns429WithReadablePageAndSavesNothingMore()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await using var strict = App.WithSettings(("RateLimiting:SignPermitsPerMinute", "3"));
        using var browser = strict.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token))).Status);
        }

        var refused = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("Too many requests", refused.Text("h1"));
        Assert.Contains("Wait a minute", refused.Text("main"), StringComparison.Ordinal);
        Assert.Equal(3, await App.WithDbAsync(db => db.Signatures.CountAsync()));

        // Reading petitions is not limited.
        var page = await browser.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }
}
