using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Counting;

namespace Petitions.Tests.Counting;

public sealed class CountingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly string[] Countries = ["FR", "FR", "FR", "DE", "DE", "GB"];

    [Fact]
    public async Task Confirm_50Concurrently_PageShowsExactlyThoseOnTopOfTheExistingCount()
    {
        const int existing = 3;
        const int confirming = 50;
        var petition = await new PetitionBuilder().WithSignatureCount(existing).CreateAsync(App.Services);
        await SignatureBuilder.CreateManyAsync(App.Services,
            Enumerable.Range(0, existing).Select(_ => new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true)));
        var pending = Enumerable.Range(0, confirming).Select(_ => new SignatureBuilder(petition.Id).Pending()).ToList();
        await SignatureBuilder.CreateManyAsync(App.Services, pending);
        using var browser = App.CreateBrowser();

        var pages = await Task.WhenAll(pending.Select(s => browser.GetAsync($"/s/confirm/{s.Token}")));

        Assert.All(pages, page =>
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("Thank you for signing", page.Text("h1"));
        });
        Assert.Equal(existing + confirming, await browser.WaitForShownCountAsync(petition.Slug, existing + confirming));
        await Eventually.TrueAsync(
            async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)),
            "every confirmation is counted");
        Assert.Equal(existing + confirming, await browser.ShownCountAsync(petition.Slug));
        Assert.Equal(existing + confirming, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_OnSeveralPetitions_CountsEachPetitionSeparately()
    {
        var first = await new PetitionBuilder().CreateAsync(App.Services);
        var second = await new PetitionBuilder().CreateAsync(App.Services);
        var forFirst = Enumerable.Range(0, 4).Select(_ => new SignatureBuilder(first.Id).Pending()).ToList();
        var forSecond = Enumerable.Range(0, 7).Select(_ => new SignatureBuilder(second.Id).Pending()).ToList();
        await SignatureBuilder.CreateManyAsync(App.Services, forFirst.Concat(forSecond));
        using var browser = App.CreateBrowser();

        await Task.WhenAll(forFirst.Concat(forSecond).Select(s => browser.GetAsync($"/s/confirm/{s.Token}")));

        Assert.Equal(4, await browser.WaitForShownCountAsync(first.Slug, 4));
        Assert.Equal(7, await browser.WaitForShownCountAsync(second.Slug, 7));
    }

    [Fact]
    public async Task RecountAll_WrongStoredCount_IsRepaired()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(999).CreateAsync(App.Services);
        await SignatureBuilder.CreateManyAsync(App.Services,
            Enumerable.Range(0, 4).Select(_ => new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true))
                .Append(new SignatureBuilder(petition.Id).Pending()));
        var counter = App.Services.GetRequiredService<CountingWorker>();
        using var browser = App.CreateBrowser();
        Assert.Equal(999, await browser.ShownCountAsync(petition.Slug));

        // Returns false only while the hosted counter holds the advisory lock; then it is simply tried again.
        await Eventually.TrueAsync(() => counter.RecountAllAsync(CancellationToken.None), "the recount got the lock");

        Assert.Equal(4, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
        Assert.Equal(4, await browser.WaitForShownCountAsync(petition.Slug, 4));
    }

    [Fact]
    public async Task Confirm_FromSeveralCountries_CountsEachCountryExactlyAndTheJsonShowsThem()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var other = await new PetitionBuilder().CreateAsync(App.Services);
        var pending = Countries
            .Select(country => new SignatureBuilder(petition.Id).From(country, "Town").Pending())
            .Append(new SignatureBuilder(other.Id).From("FR", "Lyon").Pending())
            .ToList();
        var unconfirmed = new SignatureBuilder(petition.Id).From("IT", "Rome").Pending();
        await SignatureBuilder.CreateManyAsync(App.Services, pending.Append(unconfirmed));
        using var browser = App.CreateBrowser();

        var pages = await Task.WhenAll(pending.Select(s => browser.GetAsync($"/s/confirm/{s.Token}")));

        Assert.All(pages, page => Assert.Equal(HttpStatusCode.OK, page.Status));
        await Eventually.TrueAsync(
            async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id || e.PetitionId == other.Id)),
            "every confirmation is counted");
        Assert.Equal([("DE", 2), ("FR", 3), ("GB", 1)], await CountriesAsync(petition.Id));
        Assert.Equal([("FR", 1)], await CountriesAsync(other.Id));
        Assert.Equal(6, await StoredCountAsync(petition.Id));

        using var client = App.CreateClient();
        using var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri($"/p/{petition.Slug}.json", UriKind.Relative)));
        Assert.Equal(6, json.RootElement.GetProperty("signatureCount").GetInt32());
        Assert.Equal(
            [("FR", "France", 3), ("DE", "Germany", 2), ("GB", "United Kingdom", 1)],
            json.RootElement.GetProperty("signaturesByCountry").EnumerateArray()
                .Select(c => (c.GetProperty("country").GetString(), c.GetProperty("name").GetString(), c.GetProperty("count").GetInt32())).ToList());
    }

    [Fact]
    public async Task Confirm_InSeveralBatches_AddsToTheCountsPerCountry()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        foreach (var batch in new[] { new[] { "FR", "DE" }, ["FR"], ["FR", "GB", "DE"] })
        {
            var signatures = batch.Select(country => new SignatureBuilder(petition.Id).From(country, "Town").Pending()).ToList();
            await SignatureBuilder.CreateManyAsync(App.Services, signatures);
            await Task.WhenAll(signatures.Select(s => browser.GetAsync($"/s/confirm/{s.Token}")));
            await Eventually.TrueAsync(
                async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)),
                "the batch is counted");
        }

        Assert.Equal([("DE", 2), ("FR", 3), ("GB", 1)], await CountriesAsync(petition.Id));
        Assert.Equal(6, await StoredCountAsync(petition.Id));
    }

    [Fact]
    public async Task RecountAll_WrongCountsPerCountry_AreRepaired()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(4).CreateAsync(App.Services);
        await SignatureBuilder.CreateManyAsync(App.Services, [
            new SignatureBuilder(petition.Id).From("FR", "Lyon").Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).From("FR", "Paris").Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).From("DE", "Bonn").Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).From("GB", "York").Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).From("IT", "Rome").Pending(),
        ]);
        // Drift: FR wrong, DE missing, a country with no counted signature at all, and GB right.
        await App.WithDbAsync(async db =>
        {
            db.PetitionCountryCounts.AddRange(
                new PetitionCountryCount { PetitionId = petition.Id, Country = "FR", Count = 99 },
                new PetitionCountryCount { PetitionId = petition.Id, Country = "US", Count = 5 },
                new PetitionCountryCount { PetitionId = petition.Id, Country = "GB", Count = 1 });
            await db.SaveChangesAsync();
        });
        var counter = App.Services.GetRequiredService<CountingWorker>();

        await Eventually.TrueAsync(() => counter.RecountAllAsync(CancellationToken.None), "the recount got the lock");

        Assert.Equal([("DE", 1), ("FR", 2), ("GB", 1)], await CountriesAsync(petition.Id));
        Assert.Equal(4, await StoredCountAsync(petition.Id));
    }

    [Fact]
    public async Task CountNewConfirmations_WhileAnotherInstanceCounts_DoesNothing()
    {
        var counter = App.Services.GetRequiredService<CountingWorker>();

        // Another instance holds the counting lock (the same advisory lock key the counter uses), taken before the
        // signature exists so that the app's own counter cannot consume its event first.
        await using var other = await App.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(7210001)", other, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Confirmed().CreateAsync(App.Services);

        Assert.Equal(-1, await counter.CountNewConfirmationsAsync(CancellationToken.None));
        Assert.False(await counter.RecountAllAsync(CancellationToken.None));
        Assert.True(await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)));
        await transaction.RollbackAsync();

        using var browser = App.CreateBrowser();
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
    }

    private Task<List<(string Country, int Count)>> CountriesAsync(long petitionId) =>
        App.WithDbAsync(async db => (await db.PetitionCountryCounts.AsNoTracking().Where(c => c.PetitionId == petitionId)
            .OrderBy(c => c.Country).ToListAsync()).ConvertAll(c => (c.Country, c.Count)));

    private Task<int> StoredCountAsync(long petitionId) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.SignatureCount).SingleAsync());
}
