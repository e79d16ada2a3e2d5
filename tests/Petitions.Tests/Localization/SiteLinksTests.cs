using Microsoft.Extensions.Options;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Tests.Localization;

public sealed class SiteLinksTests
{
    private static readonly SiteLanguages Languages = new(new LanguageOptions { Languages = "en,fa,fr", Default = "en" });

    private static SiteLinks Links(string baseUrl) => new(Options.Create(new SiteOptions { BaseUrl = baseUrl }), Languages);

    private static Language Persian => Languages.Find("fa")!;

    [Theory]
    [InlineData("https://petitions.example.org")]
    [InlineData("https://petitions.example.org/")]
    [InlineData("https://petitions.example.org//")]
    public void BaseUrl_WithOrWithoutTrailingSlash_GivesOneSlashBeforeThePath(string baseUrl)
    {
        var links = Links(baseUrl);

        Assert.Equal("https://petitions.example.org", links.Origin);
        Assert.Equal("https://petitions.example.org/p/fix-the-road", links.Petition("fix-the-road"));
        Assert.Equal("https://petitions.example.org/fa/p/fix-the-road", links.Petition("fix-the-road", Persian));
    }

    [Fact]
    public void BaseUrl_UnderAPath_KeepsThePath()
    {
        var links = Links("https://example.org/campaigns/");

        Assert.Equal("https://example.org/campaigns/fr/s/confirm/abc_-1", links.ConfirmSignature("abc_-1", Languages.Find("fr")));
    }

    [Fact]
    public void DefaultLanguage_HasNoPrefix_OthersHaveTheirCode()
    {
        var links = Links("https://petitions.example.org");

        Assert.Equal("https://petitions.example.org", links.In(Languages.Default));
        Assert.Equal("https://petitions.example.org", links.In(null));
        Assert.Equal("https://petitions.example.org/fa", links.In(Persian));
        Assert.Equal("https://petitions.example.org/fa/u/tok", links.Unsubscribe("tok", Persian));
        Assert.Equal("https://petitions.example.org/fa/s/withdraw/tok", links.Withdraw("tok", Persian));
        Assert.Equal("https://petitions.example.org/fa/d/tok", links.Recipient("tok", Persian));
        Assert.Equal("https://petitions.example.org/fa/email/stop/tok", links.StopEmails("tok", Persian));
        Assert.Equal("https://petitions.example.org/fa/my/open/tok", links.MySignatures("tok", Persian));
        Assert.Equal("https://petitions.example.org/fa/dashboard/p/a-b/deliveries", links.Deliveries("a-b", Persian));
        Assert.Equal("https://petitions.example.org/account/forgot-password", links.ForgotPassword(Languages.Default));
    }

    [Fact]
    public void Slug_IsEscapedTheSameWayInEveryLink()
    {
        var links = Links("https://petitions.example.org");
        const string slug = "a b/c?d#é";
        const string escaped = "a%20b%2Fc%3Fd%23%C3%A9";

        Assert.Equal("/p/" + escaped, SiteLinks.PetitionPath(slug));
        Assert.Equal("/dashboard/p/" + escaped, SiteLinks.DashboardPath(slug));
        Assert.Equal("https://petitions.example.org/fa/p/" + escaped, links.Petition(slug, Persian));
        Assert.Equal("https://petitions.example.org/dashboard/p/" + escaped, links.Dashboard(slug));
        Assert.Equal("https://petitions.example.org/dashboard/p/" + escaped + "/deliveries", links.Deliveries(slug));
    }

    [Fact]
    public void AccountLinks_EscapeTheUserId()
    {
        var links = Links("https://petitions.example.org/");

        Assert.Equal("https://petitions.example.org/fa/account/confirm?userId=a%2Bb%26c&code=XYZ", links.ConfirmAccount("a+b&c", "XYZ", Persian));
        Assert.Equal("https://petitions.example.org/account/reset-password?userId=u1&code=XYZ", links.ResetPassword("u1", "XYZ"));
    }
}
