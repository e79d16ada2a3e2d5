using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Npgsql;
using Petitions.Web.Data;

namespace Petitions.BrowserTests;

[CollectionDefinition(Name)]
public sealed class BrowserCollectionDefinition : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One fresh database with the real migrations, the site on Kestrel and a headless Debian Chromium, shared by the
/// browser tests. Tests stay independent by seeding their own petition and signing with their own email address.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class BrowserAppFixture : IAsyncLifetime
{
    private readonly string databaseName = $"petitions_browser_{Guid.NewGuid():N}";
    private IPlaywright? playwright;
    private PetitionsWebApp? app;
    private IBrowser? browser;

    public string ConnectionString { get; private set; } = "";

    public Uri BaseUrl => App.BaseUrl;

    public PetitionsWebApp App => app ?? throw new InvalidOperationException("The fixture has not started.");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The fixture has not started.");

    public Mailbox Mailbox { get; } = new(TestEnvironment.MailDevUrl);

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var admin = TestEnvironment.PostgresAdminConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = databaseName }.ConnectionString;

        // Migrate before the site starts, so its background workers never see a database without tables.
        await using (var db = CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        app = new PetitionsWebApp(ConnectionString, FreeTcpPort());
        app.Start();

        Directory.CreateDirectory(ScreenshotFolder);
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public PetitionsDbContext CreateDbContext() => new(PetitionsDbContext.CreateOptions(ConnectionString));

    /// <summary>A fresh browser context (its own cookies) with generous auto-wait timeouts.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseUrl.ToString();
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        Mailbox.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
