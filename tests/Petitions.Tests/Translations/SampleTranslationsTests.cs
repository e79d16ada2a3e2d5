using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Translations;

/// <summary>The sample data's petitions in more than one language.</summary>
public sealed class SampleTranslationsTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task SampleData_ReferencePetition_HasAPersianTranslation()
    {
        await SampleData.SeedAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/fa/p/{SampleData.ReferenceSlug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SampleData.ReferencePersianTitle, page.Text("#petition-title"));
        Assert.Equal("rtl", page.One("#petition-title").GetAttribute("dir"));
        Assert.Contains("هیئت‌های مرگ", page.Text(".petition-body"), StringComparison.Ordinal);
        Assert.StartsWith("ترجمه از انگلیسی", page.Text(".translation-note"), StringComparison.Ordinal);
        var english = await browser.GetAsync($"/p/{SampleData.ReferenceSlug}");
        Assert.Equal("Recognize 1988 Iranian massacre as crimes against humanity and genocide", english.Text("#petition-title"));
    }

    [Fact]
    public async Task SampleData_PersianAndFrenchPetitions_AreInTheirLanguage_WithSupportersWhoSignedInIt()
    {
        await SampleData.SeedAsync(App.Services);
        using var browser = App.CreateBrowser();

        var persian = await browser.GetAsync($"/fa/p/{SampleData.PersianPetitionSlug}");
        Assert.Equal(HttpStatusCode.OK, persian.Status);
        Assert.Equal("fa", persian.One("#petition-title").GetAttribute("lang"));
        Assert.Null(persian.Find(".translation-note"));
        Assert.Contains(persian.All(".supporter bdi"), b => b.TextContent == "مریم رضایی");
        Assert.Contains(persian.All(".supporter .reason"), r => r.TextContent.Contains("طوفان‌های نمک", StringComparison.Ordinal));
        var inEnglish = await browser.GetAsync($"/p/{SampleData.PersianPetitionSlug}");
        Assert.StartsWith("Save Lake Urmia", inEnglish.Text("#petition-title"), StringComparison.Ordinal);
        Assert.StartsWith("Translated from Persian", inEnglish.Text(".translation-note"), StringComparison.Ordinal);

        var french = await browser.GetAsync($"/p/{SampleData.FrenchPetitionSlug}");
        Assert.Equal("fr", french.One("#petition-title").GetAttribute("lang"));
        Assert.Contains(french.All(".supporter bdi"), b => b.TextContent == "Camille Martin");
        Assert.Equal(5, await Eventually.ValueAsync(() => browser.ShownCountAsync(SampleData.FrenchPetitionSlug), count => count == 5));

        var languages = await App.WithDbAsync(db => db.Signatures.Where(s => db.Petitions.Any(p => p.Id == s.PetitionId && p.Slug == SampleData.PersianPetitionSlug)).Select(s => s.Language).Distinct().ToListAsync());
        Assert.Equal(["fa"], languages);
    }

    [Fact]
    public async Task SampleData_LoadedTwice_AddsNothingTheSecondTime()
    {
        await SampleData.SeedAsync(App.Services);
        var before = await CountsAsync();

        await SampleData.SeedAsync(App.Services);

        Assert.Equal(before, await CountsAsync());
        Assert.Equal(2, before.Translations);
    }

    private Task<(int Petitions, int Translations, int Signatures)> CountsAsync() => App.WithDbAsync(async db =>
        (await db.Petitions.CountAsync(), await db.PetitionTranslations.CountAsync(), await db.Signatures.CountAsync()));
}
