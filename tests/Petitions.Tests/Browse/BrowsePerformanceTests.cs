using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Browse;

namespace Petitions.Tests.Browse;

/// <summary>
/// The listing and search stay fast at 100,000 petitions because PostgreSQL reads them through indexes. This checks the
/// plans of the exact commands the app sends (taken from its own queries), not timings.
/// </summary>
public sealed class BrowsePerformanceTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const int Petitions = 100_000;

    // The sort, an optional category, and the index that serves it (null: any index will do).
    private static readonly (BrowseSort Sort, string? Category, string? Index)[] ListingCases =
    [
        (BrowseSort.MostSigned, null, "ix_petitions_status_signature_count_id"),
        (BrowseSort.Newest, null, "ix_petitions_status_published_at_id"),
        (BrowseSort.ClosingSoon, null, "ix_petitions_status_closes_at_id"),
        (BrowseSort.MostSigned, "Transport", null),
        (BrowseSort.Newest, "Transport", null),
    ];

    [Fact]
    public async Task Explain_At100000Petitions_ListingSearchAndCategoriesUseIndexes()
    {
        await InsertPetitionsAsync();
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        await db.Database.OpenConnectionAsync();
        var browse = new BrowseQuery(db);

        foreach (var (sort, category, index) in ListingCases)
        {
            var filter = new BrowseFilter(BrowseStatus.Open, category, sort);
            var first = await browse.LoadAsync(filter, null, null, CancellationToken.None);
            Assert.Equal(BrowseQuery.PageSize, first.Items.Count);
            Assert.NotNull(first.Next);

            foreach (var (cursor, backwards) in new[] { ((BrowseCursor?)null, false), (first.Next, false), (first.Next, true) })
            {
                var plan = await ExplainAsync(browse.Query(filter, cursor, backwards).CreateDbCommand());
                AssertNoSeqScanOnPetitions(plan);
                Assert.Contains("Index", plan, StringComparison.Ordinal);
                if (index is not null)
                {
                    // The index also gives the order, so nothing sorts the matching rows.
                    Assert.Contains(index, plan, StringComparison.Ordinal);
                    Assert.DoesNotContain(plan.Split('\n'), line => line.TrimStart(' ', '-', '>').StartsWith("Sort", StringComparison.Ordinal));
                }

                Assert.Contains("Limit", plan, StringComparison.Ordinal);
            }
        }

        var searchPlan = await ExplainAsync(new SearchQuery(db).Query("otters", 1).CreateDbCommand());
        AssertNoSeqScanOnPetitions(searchPlan);
        Assert.Contains("ix_petitions_search_vector", searchPlan, StringComparison.Ordinal);

        var categoriesPlan = await ExplainAsync(CategoriesCommand(db));
        AssertNoSeqScanOnPetitions(categoriesPlan);
        Assert.Contains("ix_petitions_category_status_signature_count", categoriesPlan, StringComparison.Ordinal);
        Assert.Equal(["Animals", "Education", "Environment", "Health", "Housing", "Other", "Transport"], await browse.CategoriesAsync(CancellationToken.None));

        // And the pages themselves answer at this size.
        using var browser = App.CreateBrowser();
        var page = await browser.GetAsync("/petitions?sort=newest");
        Assert.Equal(BrowseQuery.PageSize, page.All("li.browse-item").Count);
        var next = await browser.GetAsync(page.One("a[rel=next]").GetAttribute("href")!);
        Assert.Equal(BrowseQuery.PageSize, next.All("li.browse-item").Count);
        var search = await browser.GetAsync("/search?q=otters");
        Assert.Equal(SearchQuery.PageSize, search.All("li.search-result").Count);
    }

    private async Task InsertPetitionsAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        // One in a hundred petitions is about otters, so the search term is selective, as real searches are.
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO petitions (slug, title, body, body_lead_html, starter_name, category, status, goal, automatic_goal,
                                   signature_count, created_at, published_at, closes_at, featured)
            SELECT 'bulk-' || g,
                   'Petition ' || g || CASE WHEN g % 100 = 0 THEN ' to protect the otters' ELSE ' about the high street' END,
                   'We ask the council to act on item ' || g || '. ' || repeat('More words about the neighbourhood. ', 5),
                   '<p>x</p>', 'Starter ' || g,
                   (ARRAY['Transport','Education','Environment','Housing','Health','Animals','Other'])[1 + g % 7],
                   (ARRAY['Open','Open','Open','Closed','Victory','Draft'])[1 + g % 6],
                   100, true, (g * 7919) % 5000,
                   now() - make_interval(mins => g), CASE WHEN g % 6 = 5 THEN NULL ELSE now() - make_interval(mins => g) END,
                   CASE WHEN g % 3 = 0 THEN now() + make_interval(days => g % 500) END, false
            FROM generate_series(1, {Petitions}) g;
            ANALYZE petitions;
            """, connection)
        { CommandTimeout = 600 };
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<string> ExplainAsync(DbCommand command)
    {
        await using (command)
        {
            command.CommandText = "EXPLAIN " + command.CommandText;
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
    }

    private static DbCommand CategoriesCommand(PetitionsDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = global::Petitions.Web.Data.Sql.PetitionSql.Categories;
        return command;
    }

    private static void AssertNoSeqScanOnPetitions(string plan) =>
        Assert.False(plan.Contains("Seq Scan on petitions", StringComparison.Ordinal), "Expected index access, got:\n" + plan);
}
