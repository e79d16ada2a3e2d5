using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Email;

public sealed class EmailThrottleTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task TryTake_PastTheHourlyLimit_RefusesThatInboxOnly()
    {
        var throttle = App.Services.GetRequiredService<EmailThrottle>();
        var email = UniqueEmail("bombed", "gmail.com");
        var results = new List<bool>();
        for (var i = 0; i < throttle.Limit + 2; i++)
        {
            // Gmail's dot and +tag variants reach the same inbox, so they share one allowance.
            var variant = i % 2 == 0 ? email : email.Replace("@", "+x@", StringComparison.Ordinal).ToUpperInvariant();
            results.Add(await throttle.TryTakeAsync(variant, CancellationToken.None));
        }

        Assert.Equal(Enumerable.Repeat(true, throttle.Limit).Concat([false, false]), results);
        Assert.True(await throttle.TryTakeAsync(UniqueEmail("other"), CancellationToken.None));
        var stored = await App.WithDbAsync(db => db.EmailThrottle.AsNoTracking().ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Contains(stored, s => s.SentAt.Length == throttle.Limit);
    }

    // Sends taken at the same instant (racing requests, or one transaction, whose now() is one value) must still be
    // counted one by one: the limit holds however close together they come.
    [Fact]
    public async Task TryTake_ManyAtTheSameInstant_AllowsOnlyTheLimit()
    {
        var throttle = App.Services.GetRequiredService<EmailThrottle>();
        var email = UniqueEmail("same-instant");
        await using var connection = App.Services.GetRequiredService<NpgsqlDataSource>().CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var results = new List<bool>();
        for (var i = 0; i < throttle.Limit + 2; i++)
        {
            results.Add(await throttle.TryTakeAsync(email, CancellationToken.None, connection, transaction));
        }

        await transaction.CommitAsync();
        Assert.Equal(Enumerable.Repeat(true, throttle.Limit).Concat([false, false]), results);
    }

    [Fact]
    public async Task TryTake_SendsOlderThanAnHour_NoLongerCountAndArePurged()
    {
        var throttle = App.Services.GetRequiredService<EmailThrottle>();
        var email = UniqueEmail("patient");
        var key = EmailThrottle.Key(email);
        var old = Enumerable.Repeat(DateTimeOffset.UtcNow.AddMinutes(-61), throttle.Limit).ToArray();
        await App.WithDbAsync(async db =>
        {
            db.EmailThrottle.Add(new EmailThrottleEntry { AddressHash = key, SentAt = old });
            await db.SaveChangesAsync();
        });

        Assert.Equal(1, await throttle.PurgeAsync(CancellationToken.None));
        await App.WithDbAsync(async db =>
        {
            db.EmailThrottle.Add(new EmailThrottleEntry { AddressHash = key, SentAt = old });
            await db.SaveChangesAsync();
        });
        Assert.True(await throttle.TryTakeAsync(email, CancellationToken.None));
        var row = await App.WithDbAsync(db => db.EmailThrottle.AsNoTracking().SingleAsync());
        Assert.Single(row.SentAt);
        Assert.Equal(0, await throttle.PurgeAsync(CancellationToken.None));
    }
}
