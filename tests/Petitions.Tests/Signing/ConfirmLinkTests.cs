using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Signing;

/// <summary>Links that are not (or no longer) a valid confirmation get a clear page, never a 500.</summary>
public sealed class ConfirmLinkTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789012345678901234567890123456789012345")]
    [InlineData("01234567890123456789012345678901234567890%2B1")]
    [InlineData("012345678901234567890123456789012345678901.")]
    [InlineData("%27%20OR%201%3D1%20--")]
    public async Task Get_MalformedToken_Returns400Page(string token)
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{token}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
    }

    [Fact]
    public async Task Get_WellFormedUnknownToken_Returns404Page()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Pending().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{Web.Domain.Tokens.Create().Token}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.State == SignatureState.Confirmed)));
    }

    [Fact]
    public async Task Get_TamperedToken_Returns404AndConfirmsNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var signature = new SignatureBuilder(petition.Id).Pending();
        await signature.CreateAsync(App.Services);
        var tampered = (signature.Token[0] == 'A' ? "B" : "A") + signature.Token[1..];
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{tampered}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(SignatureState.Pending, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task Get_TokenOfSignatureMadeBeforeClosing_StillConfirms()
    {
        var petition = await new PetitionBuilder().Closed().CreateAsync(App.Services);
        var signature = new SignatureBuilder(petition.Id).Pending().CreatedAt(petition.ClosedAt!.Value.AddHours(-1));
        await signature.CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{signature.Token}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Thank you for signing", page.Text("h1"));
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task Get_TokenOfSignatureMadeAfterClosing_Returns409AndConfirmsNothing()
    {
        var petition = await new PetitionBuilder().Closed().WithTitle("Save the bandstand").CreateAsync(App.Services);
        var signature = new SignatureBuilder(petition.Id).Pending().CreatedAt(petition.ClosedAt!.Value.AddMinutes(5));
        await signature.CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{signature.Token}");

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("This petition has closed", page.Text("h1"));
        Assert.Contains("Save the bandstand", page.Text("main"), StringComparison.Ordinal);
        Assert.Equal(SignatureState.Pending, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
    }
}
