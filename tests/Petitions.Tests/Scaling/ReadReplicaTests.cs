using System.Diagnostics;
using System.Net;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Scaling;

/// <summary>
/// ConnectionStrings__PetitionsReadOnly against a real streaming replica (pg_basebackup of the test cluster, started
/// by scripts/pg-replica.sh). With the replica's replay paused, a petition that exists only on the primary shows which
/// reads go where: the public pages and the JSON don't see it yet, signing it (which must be fresh) works.
/// </summary>
public sealed class ReadReplicaTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task PublicReadsUseTheReplica_SigningUsesThePrimary()
    {
        var port = FreePort();
        var dir = Path.Combine(Path.GetTempPath(), $"pgr-{Guid.NewGuid():N}"[..16]);
        var primary = new NpgsqlConnectionStringBuilder(App.ConnectionString);
        await RunAsync("start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture), primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var replica = new NpgsqlConnectionStringBuilder(App.ConnectionString) { Port = port, MaxPoolSize = 20 }.ConnectionString;
            var before = await new PetitionBuilder().WithTitle("Replicated towpath lights").CreateAsync(App.Services);
            await Eventually.TrueAsync(async () => await ScalarAsync<long>(replica, $"SELECT count(*) FROM petitions WHERE id = {before.Id}") == 1, "the replica streams from the primary");
            Assert.True(await ScalarAsync<bool>(replica, "SELECT pg_is_in_recovery()"));
            await ScalarAsync<object>(replica, "SELECT pg_wal_replay_pause()");

            var fresh = await new PetitionBuilder().WithTitle("Fresh bridge repairs").CreateAsync(App.Services);
            await using var site = App.WithSettings(("ConnectionStrings:PetitionsReadOnly", replica));
            using var browser = site.CreateBrowser();

            // Read from the replica: the paused copy has the first petition and not the second.
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/p/{before.Slug}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/p/{fresh.Slug}")).Status);
            using var json = await browser.Client.GetAsync(new Uri($"/p/{fresh.Slug}.json", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
            var list = await browser.Client.GetStringAsync(new Uri("/petitions.json", UriKind.Relative));
            Assert.Contains(before.Slug, list, StringComparison.Ordinal);
            Assert.DoesNotContain(fresh.Slug, list, StringComparison.Ordinal);
            var listing = await browser.GetAsync("/petitions");
            Assert.Contains("Replicated towpath lights", listing.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("Fresh bridge repairs", listing.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("Fresh bridge repairs", (await browser.GetAsync("/search?q=bridge")).Html, StringComparison.Ordinal);

            // Signing reads and writes the primary, where the petition is.
            var signed = await browser.PostAsync($"/p/{fresh.Slug}/sign", new SignFormBuilder().Build());
            Assert.Equal(HttpStatusCode.Redirect, signed.Status);
            Assert.Equal(1, await App.WithDbAsync(db => Task.FromResult(db.Signatures.Count(s => s.PetitionId == fresh.Id))));
            Assert.Equal(0, await ScalarAsync<long>(replica, $"SELECT count(*) FROM signatures WHERE petition_id = {fresh.Id}"));

            await ScalarAsync<object>(replica, "SELECT pg_wal_replay_resume()");
            var status = await Eventually.ValueAsync(async () => (await browser.GetAsync($"/p/{fresh.Slug}")).Status, s => s == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync("stop", dir);
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "scripts", "pg-replica.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg-replica.sh {string.Join(' ', args)} failed: {await output} {await error}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Petitions.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Petitions.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
