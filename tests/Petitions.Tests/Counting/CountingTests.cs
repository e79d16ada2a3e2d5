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
            async () => await App.WithDbAsync(db => db.Signatures.AllAsync(s => s.Counted)),
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
        var counter = App.Services.GetRequiredService<SignatureCounter>();
        using var browser = App.CreateBrowser();
        Assert.Equal(999, await browser.ShownCountAsync(petition.Slug));

        // Returns false only while the hosted counter holds the advisory lock; then it is simply tried again.
        await Eventually.TrueAsync(() => counter.RecountAllAsync(CancellationToken.None), "the recount got the lock");

        Assert.Equal(4, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
        Assert.Equal(4, await browser.WaitForShownCountAsync(petition.Slug, 4));
    }

    [Fact]
    public async Task CountNewConfirmations_WhileAnotherInstanceCounts_DoesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Confirmed().CreateAsync(App.Services);
        var counter = App.Services.GetRequiredService<SignatureCounter>();

        // Another instance holds the counting lock (the same advisory lock key the counter uses).
        await using var other = await App.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(7210001)", other, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        Assert.Equal(-1, await counter.CountNewConfirmationsAsync(CancellationToken.None));
        Assert.False(await counter.RecountAllAsync(CancellationToken.None));
        Assert.False(await App.WithDbAsync(db => db.Signatures.AnyAsync(s => s.Counted)));
        await transaction.RollbackAsync();

        using var browser = App.CreateBrowser();
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
    }
}
