using System.Net;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Localization;

/// <summary>The language as the URL's prefix: /fa/p/{slug} is Persian, right to left; unprefixed is English.</summary>
public sealed class LanguageUrlTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Get_PersianPetitionPage_IsRightToLeftWithPersianDigitsAndKeepsThePrefixInLinks()
    {
        var petition = await new PetitionBuilder().WithTitle("Free the UN report").WithSignatureCount(1234).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/fa/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var html = page.One("html");
        Assert.Equal("fa", html.GetAttribute("lang"));
        Assert.Equal("rtl", html.GetAttribute("dir"));
        Assert.NotNull(page.Find("link[href='/lib/bootstrap/dist/css/bootstrap.rtl.min.css']"));
        Assert.NotNull(page.Find("link[href='/lib/vazirmatn/vazirmatn.css']"));
        // The title keeps its own language and direction (an English petition, with no Persian translation).
        Assert.Equal("en", page.One("#petition-title").GetAttribute("lang"));
        Assert.Equal("ltr", page.One("#petition-title").GetAttribute("dir"));
        Assert.Equal("۱٬۲۳۴", page.Text(".sign-panel .count"));
        Assert.Equal("این دادخواست را امضا کنید", page.Text("#sign h2"));
        Assert.Equal($"/fa/p/{petition.Slug}/sign", page.One("#sign").GetAttribute("action"));
        Assert.Equal("/fa/petitions", page.One("a.nav-browse").GetAttribute("href"));
        Assert.Equal($"/p/{petition.Slug}", page.One(".site-account .language-switcher a[hreflang=en]").GetAttribute("href"));
        Assert.Equal($"/fr/p/{petition.Slug}", page.One(".site-account .language-switcher a[hreflang=fr]").GetAttribute("href"));
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/fa/p/{petition.Slug}", page.One("link[rel=alternate][hreflang=fa]").GetAttribute("href"));
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/p/{petition.Slug}", page.One("link[rel=alternate][hreflang=x-default]").GetAttribute("href"));
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/fa/p/{petition.Slug}", page.One("link[rel=canonical]").GetAttribute("href"));
    }

    [Fact]
    public async Task Get_FrenchPetitionPage_GroupsThousandsAndUsesFrenchPlurals()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(1234).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/fr/p/{petition.Slug}");

        Assert.Equal("fr", page.One("html").GetAttribute("lang"));
        Assert.Equal("ltr", page.One("html").GetAttribute("dir"));
        Assert.Equal("1 234 personnes ont signé.", page.Text(".sign-panel .count-line").Split(" Objectif")[0].Replace('\u202F', ' ').Replace('\u00A0', ' '));
        Assert.Contains("1 234 signataires", page.Text(".starter-line").Replace('\u202F', ' ').Replace('\u00A0', ' '), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Get_FrenchPage_CountWhoseDigitsAppearInAnEncodedLetter_ReadsWhole(int count)
    {
        // "signé" is encoded as "sign&#233;": marking the number must not reach into the entity.
        var petition = await new PetitionBuilder().WithSignatureCount(count).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/fr/p/{petition.Slug}");

        Assert.Equal($"{count} personnes ont signé.", page.Text(".sign-panel .count-line").Split(" Objectif")[0]);
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Text(".sign-panel .count-line strong.count"));
    }

    [Fact]
    public async Task Get_UnprefixedPage_IsEnglishLeftToRight()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(1).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal("en", page.One("html").GetAttribute("lang"));
        Assert.Equal("ltr", page.One("html").GetAttribute("dir"));
        Assert.NotNull(page.Find("link[href='/lib/bootstrap/dist/css/bootstrap.min.css']"));
        Assert.Contains("now has 1 supporter.", page.Text(".starter-line"), StringComparison.Ordinal);
        Assert.Equal("/petitions", page.One("a.nav-browse").GetAttribute("href"));
    }

    [Fact]
    public async Task Get_DefaultLanguagePrefix_RedirectsToTheUnprefixedUrl()
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/en/petitions?q=x");

        Assert.Equal(HttpStatusCode.MovedPermanently, page.Status);
        Assert.Equal("/petitions?q=x", page.Location?.OriginalString);
    }

    [Fact]
    public async Task Get_HomeFromOutside_RedirectsByAcceptLanguage_ButNotFromTheSitesOwnPages()
    {
        using var browser = App.CreateBrowser();
        browser.Client.DefaultRequestHeaders.Add("Accept-Language", "fa-IR,fa;q=0.9,en;q=0.5");

        var first = await browser.GetAsync("/");
        browser.Client.DefaultRequestHeaders.Referrer = new Uri($"{PetitionsAppFactory.BaseUrl}/fa/");
        var chosen = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Equal("/fa/", first.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, chosen.Status);
        Assert.Equal("en", chosen.One("html").GetAttribute("lang"));
    }

    [Fact]
    public async Task Get_OtherPagesWithAcceptLanguage_DoNotVaryByIt()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        browser.Client.DefaultRequestHeaders.Add("Accept-Language", "fr");

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("en", page.One("html").GetAttribute("lang"));
    }

    [Fact]
    public async Task Post_InvalidSignatureOnPersianPage_ShowsPersianMessages()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var page = await browser.GetAsync($"/fa/p/{petition.Slug}");

        var result = await browser.SubmitAsync(page.Form("#sign"), [new("Form.FullName", ""), new("Form.Email", "not-an-email")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("fa", result.One("html").GetAttribute("lang"));
        Assert.StartsWith("خطا: ", result.Title, StringComparison.Ordinal);
        Assert.Equal("مشکلی پیش آمده است", result.Text("#error-summary-title"));
        Assert.Contains("نام و نام خانوادگی‌تان را وارد کنید", result.Text("#error-summary"), StringComparison.Ordinal);
        Assert.Equal("خطا: نشانی ایمیل را در قالب درست وارد کنید، مانند name@example.com", result.Text("#Form_Email-error"));
    }
}
