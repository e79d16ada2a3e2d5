using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Features.Browse;

namespace Petitions.Tests.Translations;

/// <summary>Search finds a petition by any of its translations, each in its own language's text-search configuration.</summary>
public sealed class TranslationSearchTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Search_APersianWordFromATranslation_FindsTheEnglishPetition_ShownInPersianOnThePersianPage()
    {
        var petition = await new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").CreateAsync(App.Services);
        await new PetitionBuilder().WithTitle("Plant trees on Oak Avenue").WithSlug("plant-trees").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        using var browser = App.CreateBrowser();

        var english = await browser.GetAsync("/search?q=" + Uri.EscapeDataString("زمستان"));
        Assert.Equal(["Fix the potholes on Elm Street"], Titles(english));

        var persian = await browser.GetAsync("/fa/search?q=" + Uri.EscapeDataString("زمستان"));
        Assert.Equal([TranslationSteps.PersianTitle], Titles(persian));
        var link = persian.One("li.search-result h2 a");
        Assert.Equal("fa", link.GetAttribute("lang"));
        Assert.Equal("rtl", link.GetAttribute("dir"));
        Assert.Equal("زمستان", persian.Text("li.search-result .search-snippet mark"));
    }

    [Fact]
    public async Task Search_AFrenchWord_MatchesOtherFormsThroughTheFrenchStemmer_OnlyWhereTheTextIsFrench()
    {
        const string FrenchBody = "Nous refusons de fermer la bibliothèque municipale.";
        var french = await new PetitionBuilder().WithTitle("Rouvrez la bibliothèque").WithSlug("rouvrez").WithBody(FrenchBody)
            .CreateOwnedAsync(App.Services, null, p => p.Language = "fr");
        var translated = await new PetitionBuilder().WithTitle("Keep the pool open").WithSlug("pool").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, translated.Id, "fr", "Gardez la piscine ouverte", "Ne laissez pas la ville fermer la piscine.");
        // The same French words in a petition said to be in English are indexed with the English stemmer: "fermer" stays whole.
        await new PetitionBuilder().WithTitle("Mislabelled").WithSlug("mislabelled").WithBody(FrenchBody).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/fr/search?q=fermez");

        Assert.Equal(["Gardez la piscine ouverte", "Rouvrez la bibliothèque"], Titles(page).Order(StringComparer.Ordinal).ToList());
        var vector = await App.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT search_vector::text AS \"Value\" FROM petitions WHERE id = {0}", french.Id).SingleAsync());
        Assert.Contains("'ferm'", vector, StringComparison.Ordinal);
        Assert.Contains("'bibliothequ'", vector, StringComparison.Ordinal);
        Assert.DoesNotContain("'la'", vector, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_OnTranslations_CanUseTheirGinIndex()
    {
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        try
        {
            await using DbCommand command = new SearchQuery(db).Query("زمستان", 1, "fa").CreateDbCommand();
            command.CommandText = "EXPLAIN " + command.CommandText;
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            Assert.Contains(plan, line => line.Contains("ix_petition_translations_search_vector", StringComparison.Ordinal));
            Assert.Contains(plan, line => line.Contains("ix_petitions_search_vector", StringComparison.Ordinal));
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("RESET enable_seqscan");
        }
    }

    private static List<string> Titles(HtmlPage page) =>
        page.All("li.search-result h2 a").Select(a => HtmlPage.Normalize(a.TextContent)).ToList();
}
