using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Petitions;
using Respawn;
using Respawn.Graph;
using Serilog.Core;

namespace Petitions.Tests.Infrastructure;

/// <summary>
/// The real app on a fresh PostgreSQL database with the real migrations, sending mail to maildev.
/// One instance is shared by every test (see <see cref="SharedApp"/>); <see cref="ResetAsync"/> empties the data between tests.
/// </summary>
public sealed class PetitionsAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string FromAddress = TestSettings.FromAddress;
    public const string BaseUrl = "http://localhost";

    private readonly string databaseName = $"petitions_tests_{Guid.NewGuid():N}";
    private Respawner? respawner;

    public PetitionsAppFactory()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString)
        {
            Database = databaseName,
            // Tests open many short connections in parallel (concurrent signing and confirming).
            MaxPoolSize = 100,
            // Many apps share one test server (variants, two nodes, the browser suite in parallel): idle
            // connections go back soon so that together they stay under max_connections.
            ConnectionIdleLifetime = 10,
        }.ConnectionString;
    }

    public string ConnectionString { get; }

    public LogCapture Logs { get; } = new();

    public MailDevClient MailDev { get; } = new(TestEnvironment.MailDevUrl);

    /// <summary>The settings the app starts with; a derived factory can override any of them with UseSetting.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(TestSettings.For(ConnectionString, BaseUrl))
    {
        ["Database:MigrateOnStartup"] = "false",
        // Retention tests run the job themselves, with a moved clock.
        ["Retention:Enabled"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }

    public async Task InitializeAsync()
    {
        await TestDatabase.CreateAsync(databaseName);

        // The real migrations, applied once, before the app (and its background workers) start.
        var options = PetitionsDbContext.CreateOptions(ConnectionString);
        await using (var db = new PetitionsDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        await TestDatabase.PrepareAsync(ConnectionString);

        // Starts the app.
        _ = Server;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        MailDev.Dispose();
        await TestDatabase.DropAsync(databaseName);
    }

    /// <summary>Deletes every row except the migrations history, so each test starts from an empty site.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        if (TestEnvironment.CitusWorkerPorts is not null)
        {
            // Truncating distributed, reference and local tables in one go needs one connection per worker.
            await using var sequential = new NpgsqlCommand("SET citus.multi_shard_modify_mode TO 'sequential'", connection);
            await sequential.ExecuteNonQueryAsync();
        }

        respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table("__ef_migrations_history")],
        });

        // The counter and the outbox worker keep running; a reset may rarely deadlock with them, so try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await respawner.ResetAsync(connection);
                // Public pages stay in the output cache for a second: a copy from the previous test is not this one's.
                await Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PetitionsController.PagePolicy, default);
                Logs.Clear();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// A second app on the same database with some settings changed (such as a lower rate limit). Dispose it at the
    /// end of the test.
    /// </summary>
    public AppVariant WithSettings(params (string Key, string Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WithHost(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
    }

    /// <summary>A second app on the same database with its host changed (environment, services); dispose it at the end of the test.</summary>
    public AppVariant WithHost(Action<IWebHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return new AppVariant(WithWebHostBuilder(configure), Logs);
    }

    /// <summary>A scope with the app's own <see cref="PetitionsDbContext"/>, for arranging and checking data.</summary>
    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<PetitionsDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<PetitionsDbContext>());
    }

    public async Task WithDbAsync(Func<PetitionsDbContext, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<PetitionsDbContext>());
    }

    /// <summary>
    /// A browser-like client: keeps cookies, and shows redirects instead of following them. Each browser comes from its
    /// own IP address, as real visitors do, so the per-IP form limits never trip across unrelated tests.
    /// </summary>
    public TestBrowser CreateBrowser() => CreateBrowser(Server, Logs);

    internal static TestBrowser CreateBrowser(TestServer server, LogCapture logs)
    {
        var address = Account.Visitors.NextAddress();
        var handler = new CookieContainerHandler
        {
            InnerHandler = new ServerErrorDiagnostics(logs) { InnerHandler = server.CreateHandler(context => context.Connection.RemoteIpAddress = address) },
        };
        return new TestBrowser(new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) });
    }

    /// <summary>
    /// Stops the app's own outbox worker until the returned handle is disposed, so a test can drive
    /// <see cref="OutboxWorker.SendDueBatchAsync"/> itself without the hosted worker claiming the same rows.
    /// </summary>
    public async Task<IAsyncDisposable> PauseOutboxWorkerAsync()
    {
        var worker = Services.GetServices<IHostedService>().OfType<OutboxWorker>().Single();
        await worker.StopAsync(CancellationToken.None);
        return new ResumeOnDispose(worker);
    }

    private sealed class ResumeOnDispose(IHostedService worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await worker.StartAsync(CancellationToken.None);
    }
}

/// <summary>A second app on the shared database with some settings changed; see <see cref="PetitionsAppFactory.WithSettings"/>.</summary>
public sealed class AppVariant : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> factory;

    private readonly LogCapture logs;

    internal AppVariant(WebApplicationFactory<Program> factory, LogCapture logs)
    {
        this.factory = factory;
        this.logs = logs;
    }

    public IServiceProvider Services => factory.Services;

    public TestServer Server => factory.Server;

    public TestBrowser CreateBrowser() => PetitionsAppFactory.CreateBrowser(factory.Server, logs);

    // Each app logs through its own Serilog logger (see Program.cs), so stopping this one leaves the shared app's alone.
    public ValueTask DisposeAsync() => factory.DisposeAsync();
}
