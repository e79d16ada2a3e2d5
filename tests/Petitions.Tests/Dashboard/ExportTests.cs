using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Petitions.Tests.Dashboard;

/// <summary>The CSV export of a petition's confirmed signatures: its exact content, who may have it, and that it streams.</summary>
public sealed class ExportTests(PetitionsAppFactory app, ITestOutputHelper output) : IntegrationTest(app)
{
    private const string Header = "Name,Postcode or city,Country,Country code,Signed at,Reason,Email";

    [Fact]
    public async Task Export_Owner_GetsConfirmedSignaturesWithEmailsOnlyWhereShared()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id);
        var other = await App.Services.OwnedPetitionAsync(owner.Id);
        var id = petition.Id;
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await App.Services.SaveAsync(
            new SignatureBuilder(id).Named("Grace Hopper").WithEmail("grace@example.test").From("US", "+1 Arlington").WithReason("-2 degrees and still marching")
                .ConfirmedAt(at.AddHours(2), shareEmail: true),
            new SignatureBuilder(id).Named("Ada Lovelace").WithEmail("ada@example.test").From("GB", "Cambridge").WithReason("Safer streets, for everyone")
                .ConfirmedAt(at, shareEmail: true),
            new SignatureBuilder(id).Named("=HYPERLINK(\"http://evil.test\")").WithEmail("formula@example.test").From("FR", "Paris").WithReason("@everyone look")
                .ConfirmedAt(at.AddHours(1)),
            new SignatureBuilder(id).Named("Zoë Müller").WithEmail("zoe@example.test").From("DE", "Berlin").WithReason("Line one\n\"quoted\"").Private()
                .ConfirmedAt(at.AddDays(1)),
            new SignatureBuilder(id).Named("Not Confirmed").WithEmail("pending@example.test").Pending().Build(),
            new SignatureBuilder(other.Id).Named("Other Petition").WithEmail("other@example.test").ConfirmedAt(at, shareEmail: true));
        using var browser = await App.LoggedInVisitorAsync(owner);

        var dayBefore = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await browser.Client.GetAsync(new Uri($"/dashboard/p/{petition.Slug}/export.csv", UriKind.Relative));
        var dayAfter = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains(string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")),
            new[] { $"attachment; filename=\"{petition.Slug}-signatures-{dayBefore}.csv\"", $"attachment; filename=\"{petition.Slug}-signatures-{dayAfter}.csv\"" });
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var expected =
            Header + "\r\n" +
            "Ada Lovelace,Cambridge,United Kingdom,GB,2026-03-01T09:30:00Z,\"Safer streets, for everyone\",ada@example.test\r\n" +
            "\"'=HYPERLINK(\"\"http://evil.test\"\")\",Paris,France,FR,2026-03-01T10:30:00Z,\"'@everyone look\",\r\n" +
            "Grace Hopper,\"'+1 Arlington\",United States,US,2026-03-01T11:30:00Z,\"'-2 degrees and still marching\",grace@example.test\r\n" +
            "Zoë Müller,Berlin,Germany,DE,2026-03-02T09:30:00Z,\"Line one\n\"\"quoted\"\"\",\r\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes[3..]));

        await Eventually.TrueAsync(
            () => Task.FromResult(App.Logs.RenderAll().Contains($"Exported 4 signatures of petition {id}", StringComparison.Ordinal)),
            "the export is logged");
        var logs = App.Logs.RenderAll();
        Assert.DoesNotContain("ada@example.test", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("grace@example.test", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_NoSignatures_GetsTheHeaderOnly()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().Draft());
        using var browser = await App.LoggedInVisitorAsync(owner);

        using var response = await browser.Client.GetAsync(new Uri($"/dashboard/p/{petition.Slug}/export.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\uFEFF" + Header + "\r\n", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Export_AnotherOrganizer_GetsNotFound()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var other = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id);
        await App.Services.SaveAsync(new SignatureBuilder(petition.Id).Named("Ada Lovelace").ConfirmedAt(DateTimeOffset.UtcNow, shareEmail: true));
        using var browser = await App.LoggedInVisitorAsync(other);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/export.csv");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Ada Lovelace", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exported", App.Logs.RenderAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Anonymous_RedirectsToLogin()
    {
        var petition = await App.Services.OwnedPetitionAsync(null);
        using var browser = App.CreateVisitor();

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/export.csv");

        AccountSteps.AssertRedirectsToLogin(page, $"/dashboard/p/{petition.Slug}/export.csv");
    }

    [Fact]
    public async Task Export_Admin_GetsAnyonesSignatures()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id);
        await App.Services.SaveAsync(new SignatureBuilder(petition.Id).Named("Ada Lovelace").From("GB", "Cambridge")
            .ConfirmedAt(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero)));
        using var browser = await App.LoggedInVisitorAsync(admin);

        using var response = await browser.Client.GetAsync(new Uri($"/dashboard/p/{petition.Slug}/export.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            "\uFEFF" + Header + "\r\nAda Lovelace,Cambridge,United Kingdom,GB,2026-03-01T09:30:00Z,,\r\n",
            Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>
    /// 100,000 signatures: the first bytes arrive while the database is still sending the rows, and the memory the
    /// process holds while the export runs stays far below the size of the file.
    /// </summary>
    [Fact]
    public async Task Export_100000Signatures_StreamsWithFlatMemory()
    {
        const int rows = 100_000;
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id);
        await SeedAsync(petition.Id, rows);
        using var browser = await App.LoggedInVisitorAsync(owner);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await browser.Client.GetAsync(new Uri($"/dashboard/p/{petition.Slug}/export.csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The first bytes: the header and the first signature, read before the rest of the body exists.
        var buffer = new byte[16 * 1024];
        using var first = new MemoryStream();
        while (first.ToArray().AsSpan().Count((byte)'\n') < 2)
        {
            var got = await body.ReadAsync(buffer);
            Assert.True(got > 0, "The export ended before its first row.");
            first.Write(buffer, 0, got);
        }

        var firstText = Encoding.UTF8.GetString(first.ToArray());
        Assert.StartsWith("\uFEFF" + Header + "\r\nSupporter number ", firstText, StringComparison.Ordinal);

        // Nothing more has been read, so the export waits for this client: its query is still running and it has
        // not finished. A server that read every row before writing would have done both by now.
        Assert.Equal(1, await RunningExportQueriesAsync());
        Assert.DoesNotContain("Exported", App.Logs.RenderAll(), StringComparison.Ordinal);

        long size = first.Length;
        var newlines = first.ToArray().AsSpan().Count((byte)'\n');
        var peak = 0L;
        var nextSample = 0L;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            size += read;
            newlines += buffer.AsSpan(0, read).Count((byte)'\n');
            if (size >= nextSample)
            {
                // What the process still holds once garbage is gone: buffers, not the list.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                nextSample = size + (4 * 1024 * 1024);
            }
        }

        output.WriteLine($"Streamed {size:N0} bytes; the process held at most {peak:N0} more bytes than before.");
        Assert.Equal(rows + 1, newlines);
        Assert.True(size > 15_000_000, $"The CSV is {size:N0} bytes; the test needs one much larger than the bound below.");
        Assert.True(peak < size / 4, $"Memory grew by {peak:N0} bytes while streaming a {size:N0}-byte CSV.");
        await Eventually.TrueAsync(
            () => Task.FromResult(App.Logs.RenderAll().Contains($"Exported {rows} signatures of petition {petition.Id}", StringComparison.Ordinal)),
            "the export is logged");
    }

    private async Task SeedAsync(long petitionId, int count)
    {
        await new BulkSignatures
        {
            FullName = "'Supporter number ' || i",
            Email = "'supporter' || i || '@example.test'",
            Country = "(ARRAY['GB','FR','DE','US','IE'])[1 + i % 5]",
            PostcodeOrCity = "'Postcode ' || i",
            Reason = "'Reason ' || i || ': because this street needs fixing before somebody gets hurt, and the council has the money'",
            ShareEmailWithOrganizer = "i % 2 = 0",
            TokenSeed = "'export-' || i",
            CreatedAt = "now() - interval '30 days'",
            ConfirmedAt = "now() - make_interval(secs => i)",
        }.InsertAsync(App.ConnectionString, petitionId, count);
    }

    private async Task<long> RunningExportQueriesAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
              AND query LIKE '%share_email_with_organizer THEN email%'
            """,
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
