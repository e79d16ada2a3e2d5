using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Signing;

/// <summary>Closed petitions, bots, forged posts and oversized requests: refused, and nothing written.</summary>
public sealed class SigningProtectionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_ClosedPetition_Returns409WithMessageAndSavesNothing()
    {
        var open = await new PetitionBuilder().CreateAsync(App.Services);
        var closed = await new PetitionBuilder().Closed().WithTitle("Stop the car park").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(open.Slug);

        var page = await browser.PostAsync($"/p/{closed.Slug}/sign", new SignFormBuilder().Build(token));

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("This petition is closed, so it no longer accepts signatures.", page.Text("[role=alert]"));
        Assert.Equal("Stop the car park", page.Text("h1"));
        Assert.Null(page.Find("form#sign"));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_UnknownPetition_Returns404AndSavesNothing()
    {
        var open = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(open.Slug);

        var page = await browser.PostAsync("/p/no-such-petition/sign", new SignFormBuilder().Build(token));

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_HoneypotFilled_RedirectsLikeSuccessButSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithWebsite("http://bot.example"));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"/p/{petition.Slug}/check-your-email", page.Location?.OriginalString);
        // No outbox row means no email can ever be sent.
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_CrossSiteOrigin_Returns403AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.SendsFetchMetadata = false;

        using var response = await PostWithHeadersAsync(browser, petition.Slug, new SignFormBuilder().Build(), ("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "http://localhost.evil.example")]
    [InlineData("Origin", "https://localhost")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task Post_FromAnotherOriginByEitherHeader_Returns403AndSavesNothing(string header, string value)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        // Even with a valid token: the browser says another site sent this form.
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);
        browser.SendsFetchMetadata = false;

        using var response = await PostWithHeadersAsync(browser, petition.Slug, new SignFormBuilder().Build(token), (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("Origin", "http://localhost")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    public async Task Post_SameOriginWithoutToken_Signs(string header, string value)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.SendsFetchMetadata = false;

        using var response = await PostWithHeadersAsync(browser, petition.Slug, new SignFormBuilder().Build(), (header, value));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/p/{petition.Slug}/check-your-email", response.Headers.Location?.OriginalString);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id)));
    }

    [Fact]
    public async Task Post_OriginIsTheConfiguredSiteBehindAProxy_Signs()
    {
        // Behind a TLS-terminating proxy the app sees http://localhost, the browser is on https://petitions.example.
        await using var site = App.WithSettings(("Site:BaseUrl", "https://petitions.example"));
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = site.CreateBrowser();
        browser.SendsFetchMetadata = false;

        using var response = await PostWithHeadersAsync(browser, petition.Slug, new SignFormBuilder().Build(), ("Origin", "https://petitions.example"), ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id)));
    }

    [Fact]
    public async Task Post_NeitherHeaderNorToken_Returns400AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.SendsFetchMetadata = false;

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build());

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Something was wrong with that request", page.Text("h1"));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_NeitherHeaderButAValidToken_Signs()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.SendsFetchMetadata = false;
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Post_SignedInWithoutToken_Returns400EvenFromTheSameOrigin()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build());

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        await AssertNothingSavedAsync();

        // Their own page carries a token, and with it they sign.
        var signed = await browser.SignAsync(petition.Slug, new SignFormBuilder());
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
    }

    [Fact]
    public async Task Post_WithForgedAntiforgeryToken_Returns400AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.SendsFetchMetadata = false;
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token[..^4] + "AAAA"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Something was wrong with that request", page.Text("h1"));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_TokenWithoutItsCookie_Returns400AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var pageBrowser = App.CreateBrowser();
        var token = await pageBrowser.AntiforgeryTokenAsync(petition.Slug);
        using var otherBrowser = App.CreateBrowser();
        otherBrowser.SendsFetchMetadata = false;

        var page = await otherBrowser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_Over64KB_Returns413AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().WithReason(new string('x', 70_000)).Build(token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.Status);
        Assert.Equal("That was too much to send", page.Text("h1"));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_Over64KBWithoutContentLength_Returns413AndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);
        using var body = new FormUrlEncodedContent(new SignFormBuilder().WithReason(new string('x', 70_000)).Build(token));
        var bytes = await body.ReadAsByteArrayAsync();
        // A chunked upload: the size is only known while reading.
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.Status);
        Assert.Equal("That was too much to send", page.Text("h1"));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_ValidSignature_FormLimitsApplyBeforeTheFormIsRead()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);
        App.Logs.Clear();

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().Build(token));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        // MVC warns when its form limits come too late, that is when something read the form first. (Its size-limit
        // warning cannot be checked here: the test server has no body-size feature at all.)
        var warnings = App.Logs.Events.Where(e => e.Level >= Serilog.Events.LogEventLevel.Warning).Select(LogCapture.Render).ToList();
        Assert.DoesNotContain(warnings, w => w.Contains("Unable to apply configured form options", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Post_JustUnder64KB_IsNotRefusedForSize()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);
        var fields = new SignFormBuilder().WithReason(new string('x', 60_000)).Build(token);
        using var content = new FormUrlEncodedContent(fields);
        Assert.True(Encoding.ASCII.GetByteCount(await content.ReadAsStringAsync()) < 64 * 1024);

        var page = await browser.PostAsync($"/p/{petition.Slug}/sign", fields);

        // Within the size limit, the reason is too long for the validator instead.
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Reason for signing must be 1,000 characters or fewer", page.Text(".error-summary a"));
    }

    private static async Task<HttpResponseMessage> PostWithHeadersAsync(TestBrowser browser, string slug, IEnumerable<KeyValuePair<string, string>> fields, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/p/{slug}/sign") { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await browser.Client.SendAsync(request);
    }

    private async Task AssertNothingSavedAsync()
    {
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }
}
