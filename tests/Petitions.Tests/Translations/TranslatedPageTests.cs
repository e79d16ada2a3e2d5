using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Translations;

/// <summary>The petition page, cards and search in the page's language, with one count for every language.</summary>
public sealed class TranslatedPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly string[] SignerLanguages = ["en", "fr", "fr", "fa"];

    [Fact]
    public async Task PersianPage_ShowsThePersianTranslation_WithANoteAndALinkToTheOriginal()
    {
        var petition = await new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/fa/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(TranslationSteps.PersianTitle, page.Text("#petition-title"));
        Assert.Equal("fa", page.One("#petition-title").GetAttribute("lang"));
        Assert.Equal("rtl", page.One("#petition-title").GetAttribute("dir"));
        Assert.Equal("fa", page.One(".petition-body").GetAttribute("lang"));
        Assert.Equal("دوچرخه‌ها", page.Text(".petition-body strong"));
        Assert.StartsWith("ترجمه از انگلیسی", page.Text(".translation-note"), StringComparison.Ordinal);
        Assert.Equal($"/fa/p/{petition.Slug}?original=1", page.One(".translation-note a").GetAttribute("href"));
        Assert.Equal(TranslationSteps.PersianTitle, page.Meta("og:title"));
        Assert.Contains(TranslationSteps.PersianTitle, page.Title, StringComparison.Ordinal);

        var original = await browser.GetAsync($"/fa/p/{petition.Slug}?original=1");
        Assert.Equal("Fix the potholes on Elm Street", original.Text("#petition-title"));
        Assert.Equal("en", original.One("#petition-title").GetAttribute("lang"));
        Assert.Equal("ltr", original.One("#petition-title").GetAttribute("dir"));
        Assert.Equal("ltr", original.One(".petition-body").GetAttribute("dir"));
        Assert.Equal("fa", original.One("html").GetAttribute("lang"));
        Assert.Equal($"/fa/p/{petition.Slug}", original.One(".translation-note a").GetAttribute("href"));

        // The translated page is still cached per URL: asking again without ?original gives the translation.
        Assert.Equal(TranslationSteps.PersianTitle, (await browser.GetAsync($"/fa/p/{petition.Slug}")).Text("#petition-title"));
    }

    [Fact]
    public async Task PageWithoutATranslationInItsLanguage_ShowsTheOriginal_WithNoNote()
    {
        var petition = await new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        using var browser = App.CreateBrowser();

        foreach (var path in new[] { $"/p/{petition.Slug}", $"/fr/p/{petition.Slug}" })
        {
            var page = await browser.GetAsync(path);
            Assert.Equal("Fix the potholes on Elm Street", page.Text("#petition-title"));
            Assert.Equal("en", page.One("#petition-title").GetAttribute("lang"));
            Assert.Null(page.Find(".translation-note"));
        }
    }

    [Fact]
    public async Task PetitionWrittenInPersian_OnTheEnglishPage_IsRightToLeftInsideALeftToRightPage()
    {
        var petition = await new PetitionBuilder().WithTitle(TranslationSteps.PersianTitle).WithBody(TranslationSteps.PersianBody)
            .CreateOwnedAsync(App.Services, null, p => p.Language = "fa");
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fr", "Réparez les nids-de-poule", "Les nids-de-poule abîment les vélos.");
        using var browser = App.CreateBrowser();

        var english = await browser.GetAsync($"/p/{petition.Slug}");
        Assert.Equal("ltr", english.One("html").GetAttribute("dir"));
        Assert.Equal("fa", english.One("#petition-title").GetAttribute("lang"));
        Assert.Equal("rtl", english.One("#petition-title").GetAttribute("dir"));
        Assert.Equal("rtl", english.One(".petition-body").GetAttribute("dir"));

        var french = await browser.GetAsync($"/fr/p/{petition.Slug}");
        Assert.Equal("Réparez les nids-de-poule", french.Text("#petition-title"));
        Assert.Equal("ltr", french.One("#petition-title").GetAttribute("dir"));
        Assert.StartsWith("Traduit du persan", french.Text(".translation-note"), StringComparison.Ordinal);
        Assert.Equal("Afficher l’original", french.Text(".translation-note a"));
    }

    [Fact]
    public async Task OneCount_ForSignaturesInEveryLanguage()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fr", "Réparez les nids-de-poule", "Les nids-de-poule abîment les vélos.");
        await SignatureBuilder.CreateManyAsync(App.Services, SignerLanguages.Select(language =>
            new SignatureBuilder(petition.Id).Confirmed().WithLanguage(language)));
        using var browser = App.CreateBrowser();

        var english = await Eventually.ValueAsync(() => browser.GetAsync($"/p/{petition.Slug}"), p => p.Text(".sign-panel .count") == "4");
        Assert.Equal("4", english.Text(".sign-panel .count"));
        var french = await browser.GetAsync($"/fr/p/{petition.Slug}");
        Assert.Equal("Réparez les nids-de-poule", french.Text("#petition-title"));
        Assert.Equal("4", french.Text(".sign-panel .count"));
        Assert.Equal("۴", (await browser.GetAsync($"/fa/p/{petition.Slug}")).Text(".sign-panel .count"));
        Assert.Equal(4, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)));
    }

    [Fact]
    public async Task Cards_InBrowseAndHome_UseTheTranslation()
    {
        var petition = await new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").CreateOwnedAsync(App.Services, null, p => p.Featured = true);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        using var browser = App.CreateBrowser();

        var browse = await browser.GetAsync("/fa/petitions");
        var link = browse.One($"a[href='/fa/p/{petition.Slug}']");
        Assert.Equal(TranslationSteps.PersianTitle, HtmlPage.Normalize(link.TextContent));
        Assert.Equal("rtl", link.GetAttribute("dir"));
        var home = await browser.GetAsync("/fa/");
        Assert.Contains(home.All($".petition-cards a[href='/fa/p/{petition.Slug}']"), a => HtmlPage.Normalize(a.TextContent) == TranslationSteps.PersianTitle);
        var englishBrowse = await browser.GetAsync("/petitions");
        Assert.Equal("Fix the potholes on Elm Street", HtmlPage.Normalize(englishBrowse.One($"a[href='/p/{petition.Slug}']").TextContent));
    }
}
