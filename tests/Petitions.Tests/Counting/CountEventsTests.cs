using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Counting;

namespace Petitions.Tests.Counting;

/// <summary>
/// The append-only count events: confirmations, removals and restorations each count exactly once, however often or
/// concurrently they are repeated, and a recount taken at any moment agrees with the live count.
/// </summary>
public sealed class CountEventsTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly string[] ThreeCountries = ["FR", "FR", "DE"];
    private static readonly string[] FourCountries = ["FR", "DE", "GB", "IE"];

    [Fact]
    public async Task Confirm_WritesOneEventAndLeavesTheSignatureRowAlone()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var pending = new SignatureBuilder(petition.Id).From("FR", "Lyon").Pending();
        await pending.CreateAsync(App.Services);
        await using var paused = await PauseCounterAsync();
        using var browser = App.CreateBrowser();

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/s/confirm/{pending.Token}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/s/confirm/{pending.Token}")).Status);

        var events = await App.WithDbAsync(db => db.CountEvents.AsNoTracking().Where(e => e.PetitionId == petition.Id).ToListAsync());
        var only = Assert.Single(events);
        Assert.Equal((1, "FR"), (only.Delta, only.Country));
        Assert.Equal(0, await StoredCountAsync(petition.Id));
    }

    [Fact]
    public async Task Remove_RepeatedAndConcurrent_TakesEachSignatureOffOnce_AndRestoreAddsItBackOnce()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(3).CreateAsync(App.Services);
        var signatures = ThreeCountries.Select(c => new SignatureBuilder(petition.Id).From(c, "Town").Confirmed(alreadyCounted: true)).ToList();
        await SignatureBuilder.CreateManyAsync(App.Services, signatures);
        await App.WithDbAsync(async db =>
        {
            db.PetitionCountryCounts.AddRange(
                new PetitionCountryCount { PetitionId = petition.Id, Country = "FR", Count = 2 },
                new PetitionCountryCount { PetitionId = petition.Id, Country = "DE", Count = 1 });
            await db.SaveChangesAsync();
        });
        var frenchIds = await App.WithDbAsync(db => db.Signatures.Where(s => s.PetitionId == petition.Id && s.Country == "FR").Select(s => s.Id).ToListAsync());

        var removed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WithConnectionAsync(c => CountEvents.RemoveAsync(c, null, frenchIds, SignatureState.Invalidated, CancellationToken.None))));

        Assert.Equal(2, removed.Sum());
        await WaitUntilCountedAsync(petition.Id);
        Assert.Equal(1, await StoredCountAsync(petition.Id));
        Assert.Equal([("DE", 1), ("FR", 0)], await CountriesAsync(petition.Id));
        Assert.Equal(2, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Invalidated)));

        // Withdrawing an invalidated signature takes nothing more off.
        Assert.Equal(0, await WithConnectionAsync(c => CountEvents.RemoveAsync(c, null, frenchIds, SignatureState.Withdrawn, CancellationToken.None)));

        var restored = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => App.WithDbAsync(db => CountEvents.RestoreAsync(db, frenchIds, SignatureState.Invalidated, CancellationToken.None))));

        Assert.Equal(2, restored.Sum());
        await WaitUntilCountedAsync(petition.Id);
        Assert.Equal(3, await StoredCountAsync(petition.Id));
        Assert.Equal([("DE", 1), ("FR", 2)], await CountriesAsync(petition.Id));
    }

    [Fact]
    public async Task Remove_PendingSignature_ChangesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var pending = await new SignatureBuilder(petition.Id).Pending().CreateAsync(App.Services);

        Assert.Equal(0, await WithConnectionAsync(c => CountEvents.RemoveAsync(c, null, [pending.Id], SignatureState.Withdrawn, CancellationToken.None)));
        Assert.Equal(0, await WithConnectionAsync(c => CountEvents.RestoreAsync(c, null, [pending.Id], SignatureState.Withdrawn, CancellationToken.None)));

        Assert.Equal(SignatureState.Pending, await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == pending.Id).Select(s => s.State).SingleAsync()));
        Assert.False(await App.WithDbAsync(db => db.CountEvents.AnyAsync()));
    }

    [Fact]
    public async Task Remove_InARolledBackTransaction_LeavesTheCountAlone()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(1).CreateAsync(App.Services);
        var signature = await new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true).CreateAsync(App.Services);

        await App.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(1, await CountEvents.RemoveAsync(db, [signature.Id], SignatureState.Withdrawn, CancellationToken.None));
            await transaction.RollbackAsync();
        });

        Assert.False(await App.WithDbAsync(db => db.CountEvents.AnyAsync()));
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == signature.Id).Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task Recount_WhileConfirmingRemovingAndRestoring_AgreesWithTheLiveCount()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var pending = Enumerable.Range(0, 60).Select(i => new SignatureBuilder(petition.Id).From(FourCountries[i % 4], "Town").Pending()).ToList();
        await SignatureBuilder.CreateManyAsync(App.Services, pending);
        var counter = App.Services.GetRequiredService<CountingWorker>();
        using var browser = App.CreateBrowser();

        var confirming = Task.WhenAll(pending.Select(s => browser.GetAsync($"/s/confirm/{s.Token}")));
        var churning = Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                var ids = await App.WithDbAsync(db => db.Signatures
                    .Where(s => s.PetitionId == petition.Id && s.State != SignatureState.Pending).OrderBy(s => s.Id).Select(s => s.Id).Take(20).ToListAsync());
                await WithConnectionAsync(c => CountEvents.RemoveAsync(c, null, ids, SignatureState.Invalidated, CancellationToken.None));
                await WithConnectionAsync(c => CountEvents.RestoreAsync(c, null, ids.Where(id => id % 2 == 0).ToList(), SignatureState.Invalidated, CancellationToken.None));
            }
        });
        var recounting = Task.Run(async () =>
        {
            var recounts = 0;
            for (var attempt = 0; attempt < 200 && recounts < 5; attempt++)
            {
                if (await counter.RecountAllAsync(CancellationToken.None))
                {
                    recounts++;
                }
            }

            return recounts;
        });
        await Task.WhenAll(confirming, churning, recounting);

        Assert.True(await recounting > 0, "a recount ran while the others worked");
        await WaitUntilCountedAsync(petition.Id);
        var confirmed = await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed));
        var byCountry = await App.WithDbAsync(async db => (await db.Signatures.Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)
            .GroupBy(s => s.Country).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync()).ConvertAll(g => (g.Key, g.Count)));
        Assert.InRange(confirmed, 1, 59);
        Assert.Equal(confirmed, await StoredCountAsync(petition.Id));
        Assert.Equal(byCountry, (await CountriesAsync(petition.Id)).Where(c => c.Count != 0).ToList());

        await Eventually.TrueAsync(() => counter.RecountAllAsync(CancellationToken.None), "a final recount got the lock");

        Assert.Equal(confirmed, await StoredCountAsync(petition.Id));
        Assert.Equal(byCountry, await CountriesAsync(petition.Id));
        Assert.Equal(confirmed, await browser.ShownCountAsync(petition.Slug));
    }

    private async Task<int> WithConnectionAsync(Func<NpgsqlConnection, Task<int>> work)
    {
        await using var connection = await App.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await work(connection);
    }

    /// <summary>Holds the counting lock, as another instance counting would, until disposed.</summary>
    private async Task<IAsyncDisposable> PauseCounterAsync()
    {
        var connection = await App.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(7210001)", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new CounterPause(connection);
    }

    private sealed class CounterPause(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_unlock(7210001)", connection))
            {
                await command.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }

    private Task WaitUntilCountedAsync(long petitionId) =>
        Eventually.TrueAsync(async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petitionId)), "every event is counted");

    private Task<List<(string Country, int Count)>> CountriesAsync(long petitionId) =>
        App.WithDbAsync(async db => (await db.PetitionCountryCounts.AsNoTracking().Where(c => c.PetitionId == petitionId)
            .OrderBy(c => c.Country).ToListAsync()).ConvertAll(c => (c.Country, c.Count)));

    private Task<int> StoredCountAsync(long petitionId) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.SignatureCount).SingleAsync());
}
