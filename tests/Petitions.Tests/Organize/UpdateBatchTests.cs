using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Email;
using Petitions.Web.Features.Notifications;

namespace Petitions.Tests.Organize;

/// <summary>An update to more supporters than one batch holds: every opted-in supporter gets exactly one email.</summary>
public sealed class UpdateBatchTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const int OptedIn = 1_200;

    [Fact]
    public async Task Post_UpdateTo1200Supporters_QueuesExactlyOneEmailEachInBatches()
    {
        Assert.True(OptedIn > 2 * NotificationWorker.BatchSize, "The test needs more supporters than two batches hold.");
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle("Save the river meadows").CreateOwnedAsync(App.Services, user.Id);
        var domain = $"batch-{Guid.NewGuid():N}.example.test";
        await SeedSupportersAsync(petition.Id, domain);
        using var owner = await App.LoggedInVisitorAsync(user);

        // The emails are counted in the outbox; only a first batch is really sent, so maildev is not flooded.
        var paused = await App.PauseOutboxWorkerAsync();
        try
        {
            var result = await owner.PostUpdateAsync(petition.Slug, "We reached the committee", "The committee will hear us next month.");
            Assert.Equal(HttpStatusCode.Redirect, result.Status);

            var job = Assert.Single(await App.WaitForNotificationJobsAsync(1, TimeSpan.FromMinutes(2)));
            Assert.Equal(OptedIn, job.Sent);

            var rows = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
                .Select(m => new { m.Kind, m.ToAddress, m.Subject, m.HeadersJson }).ToListAsync());
            Assert.Equal(OptedIn, rows.Count);
            Assert.All(rows, r => Assert.Equal("petition-update", r.Kind));
            Assert.All(rows, r => Assert.Equal("Update: Save the river meadows", r.Subject));
            Assert.All(rows, r => Assert.Contains("List-Unsubscribe-Post", r.HeadersJson ?? "", StringComparison.Ordinal));
            var expected = Enumerable.Range(1, OptedIn).Select(i => $"opted-in-{i}@{domain}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, rows.Select(r => r.ToAddress).Order(StringComparer.Ordinal));

            // Send one batch through the real SMTP server and check a few of them arrived.
            var worker = App.Services.GetServices<IHostedService>().OfType<OutboxWorker>().Single();
            Assert.True(await worker.SendDueBatchAsync(CancellationToken.None) > 0);
            var sent = await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.SentAt != null).OrderBy(m => m.Id).Select(m => m.ToAddress).Take(3).ToListAsync());
            Assert.Equal(3, sent.Count);
            foreach (var address in sent)
            {
                var message = await MailDev.WaitForEmailAsync(address);
                Assert.Equal("Update: Save the river meadows", message.Subject);
                Assert.StartsWith($"<{PetitionsAppFactory.BaseUrl}/u/", message.Headers["list-unsubscribe"], StringComparison.Ordinal);
            }
        }
        finally
        {
            // Leave neither unsent rows for the resumed worker nor this test's mail in the shared maildev.
            await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.SentAt == null).ExecuteDeleteAsync());
            await paused.DisposeAsync();
            await DeleteMailToDomainAsync(domain);
        }
    }

    /// <summary>1,200 confirmed opted-in supporters, plus some of every kind that must not get the update.</summary>
    private async Task SeedSupportersAsync(long petitionId, string domain)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, show_publicly,
                                    email_updates, share_email_with_organizer, state, confirmation_token_hash, created_at,
                                    confirmed_at, unsubscribed_at)
            SELECT $1, 'Supporter ' || i, kind || '-' || i || '@' || $2, kind || '-' || i || '@' || $2, 'GB', 'Leeds', true,
                   kind <> 'not-opted-in', false, CASE WHEN kind = 'pending' THEN 'Pending' ELSE 'Confirmed' END,
                   sha256(convert_to(kind || i || $2, 'UTF8')), now() - interval '1 day',
                   CASE WHEN kind = 'pending' THEN NULL ELSE now() - interval '1 day' END,
                   CASE WHEN kind = 'unsubscribed' THEN now() END
            FROM (SELECT 'opted-in' AS kind, generate_series(1, $3) AS i
                  UNION ALL SELECT 'not-opted-in', generate_series(1, 25)
                  UNION ALL SELECT 'pending', generate_series(1, 25)
                  UNION ALL SELECT 'unsubscribed', generate_series(1, 25)) AS s
            ORDER BY random()
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = petitionId });
        insert.Parameters.Add(new NpgsqlParameter { Value = domain });
        insert.Parameters.Add(new NpgsqlParameter { Value = OptedIn });
        Assert.Equal(OptedIn + 75, await insert.ExecuteNonQueryAsync());
    }

    private async Task DeleteMailToDomainAsync(string domain)
    {
        using var http = new HttpClient { BaseAddress = TestEnvironment.MailDevUrl };
        foreach (var message in await MailDev.ListAsync())
        {
            if (message.To.Any(t => t.Address.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)))
            {
                using var response = await http.DeleteAsync(new Uri($"/email/{message.Id}", UriKind.Relative));
            }
        }
    }
}
