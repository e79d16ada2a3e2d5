using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Signing;

/// <summary>Input no person types but bots send: refused cleanly with a 400, never a 500, and nothing written.</summary>
public sealed class HostileInputTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("FullName", "Ada\u0001Lovelace")]
    [InlineData("Email", "ada\u0001lovelace@example.test")]
    [InlineData("PostcodeOrCity", "CB1\u001B2AB")]
    [InlineData("Reason", "Because\u0007")]
    public async Task Post_ControlCharacterInField_Returns400AndSavesNothing(string field, string value)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, new SignFormBuilder().With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal([$"#Form_{field}"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    // ASP.NET Core's form reader refuses %00, so nothing binds and the post is refused (400); the re-executed error page
    // must not read that form again, or the 400 becomes a 500.
    [Fact]
    public async Task Post_NulCharacterInField_Returns400PageAndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Ada\u0000Lovelace"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Something was wrong with that request", page.Text("h1"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Post_ReasonWithLineBreaks_IsAccepted()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithReason("First line.\r\n\r\n\tSecond line."));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("First line.\r\n\r\n\tSecond line.", await App.WithDbAsync(db => db.Signatures.Select(s => s.Reason).SingleAsync()));
    }
}
