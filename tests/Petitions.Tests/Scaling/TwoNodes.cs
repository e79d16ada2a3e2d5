using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Scaling;

/// <summary>
/// Two real app processes (the built Petitions.Web.dll) on one PostgreSQL database, behind Debian's nginx: one port
/// balances round robin, and one per node reaches that node only, so a test can choose where each request lands.
/// They send mail through an <see cref="SmtpProxy"/> on a fixed port, so a test can take SMTP down and bring it back.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const string AdminEmail = "admin-nodes@example.test";
    public const string AdminPassword = "two-nodes-admin-password";

    private readonly string databaseName = $"petitions_nodes_{Guid.NewGuid():N}";
    private readonly string work = Directory.CreateTempSubdirectory("petitions-nodes-").FullName;
    private readonly List<Process> processes = [];
    private readonly int smtpPort = FreePort();
    private ServiceProvider? services;

    public string ConnectionString { get; private set; } = "";

    public Uri BalancedUrl { get; private set; } = null!;

    public Uri NodeAUrl { get; private set; } = null!;

    public Uri NodeBUrl { get; private set; } = null!;

    public SmtpProxy? Smtp { get; private set; }

    /// <summary>Services with a <see cref="PetitionsDbContext"/> on the nodes' database, for arranging and checking data.</summary>
    public IServiceProvider Services => services!;

    public async Task InitializeAsync()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString) { Database = databaseName }.ConnectionString;
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        services = new ServiceCollection()
            .AddDbContext<PetitionsDbContext>(o => PetitionsDbContext.ConfigureOptions(o, ConnectionString))
            .BuildServiceProvider();

        var (nodeA, nodeB, balanced, pinnedA, pinnedB) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
        BalancedUrl = Loopback(balanced);
        NodeAUrl = Loopback(pinnedA);
        NodeBUrl = Loopback(pinnedB);
        Smtp = new SmtpProxy(TestEnvironment.SmtpPort, smtpPort);

        using var migrate = StartApp("migrate", 0, "migrate");
        processes.Remove(migrate);
        await migrate.WaitForExitAsync();
        Assert.True(migrate.ExitCode == 0, $"migrate failed: {await File.ReadAllTextAsync(Path.Combine(work, "migrate.log"))}");

        // One after the other: each creates the first admin on start, and two doing it at once race on its unique email.
        StartApp("node-a", nodeA);
        await WaitUntilReadyAsync(Loopback(nodeA));
        StartApp("node-b", nodeB);
        await WaitUntilReadyAsync(Loopback(nodeB));
        StartNginx(nodeA, nodeB, balanced, pinnedA, pinnedB);
        foreach (var url in new[] { BalancedUrl, NodeAUrl, NodeBUrl })
        {
            await WaitUntilReadyAsync(url);
        }
    }

    /// <summary>Takes the SMTP server away: the nodes' connections are refused until <see cref="StartSmtp"/>.</summary>
    public async Task StopSmtpAsync()
    {
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
            Smtp = null;
        }
    }

    public void StartSmtp() => Smtp ??= new SmtpProxy(TestEnvironment.SmtpPort, smtpPort);

    /// <summary>A browser that sends every request to <paramref name="node"/>, sharing cookies with the others made from <paramref name="cookies"/>.</summary>
    public static TestBrowser Browser(Uri node, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node });

    /// <summary>The path and query of a link in an email, to be opened on whichever node a test chooses.</summary>
    public static string PathOf(string link) => new Uri(link).PathAndQuery;

    public string NodeLog(string name) => File.ReadAllText(Path.Combine(work, name + ".log"));

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        await StopSmtpAsync();
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(work, recursive: true);
    }

    private Process StartApp(string name, int port, params string[] args)
    {
        var dll = Path.Combine(RepoRoot, "src", "Petitions.Web", "bin", BuildConfiguration, "net10.0", "Petitions.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (./test.sh does).");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoRoot, "src", "Petitions.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["ASPNETCORE_URLS"] = Loopback(port == 0 ? FreePort() : port).ToString(),
            ["ConnectionStrings__Petitions"] = ConnectionString,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
            ["Email__From"] = PetitionsAppFactory.FromAddress,
            ["Email__PollSeconds"] = "0.2",
            ["Site__BaseUrl"] = BalancedUrl.ToString(),
            ["Counting__IntervalSeconds"] = "0.2",
            ["RateLimiting__SignPermitsPerMinute"] = "100000",
            ["ForwardedHeaders__KnownProxies"] = "127.0.0.1",
            ["Admin__Email"] = AdminEmail,
            ["Admin__Password"] = AdminPassword,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return Start(start, name);
    }

    private void StartNginx(int nodeA, int nodeB, int balanced, int pinnedA, int pinnedB)
    {
        const string nginx = "/usr/sbin/nginx";
        Assert.True(File.Exists(nginx) && !OperatingSystem.IsWindows(), "nginx is missing: ./test.sh installs it (scripts/ensure-deps.sh).");
        var root = Path.Combine(work, "nginx");
        Directory.CreateDirectory(root);
        // Its workers may run as another user, which must reach the temp folders.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(work, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111);
        }
        // The same configuration as the benchmark's (figures 9 and 10); its caching port in front of node A is unused here.
        var config = File.ReadAllText(Path.Combine(RepoRoot, "scripts", "nginx-nodes.conf"))
            .Replace("@ROOT@", root, StringComparison.Ordinal)
            .Replace("@NODE_A@", Port(nodeA), StringComparison.Ordinal)
            .Replace("@NODE_B@", Port(nodeB), StringComparison.Ordinal)
            .Replace("@BALANCED_PORT@", Port(balanced), StringComparison.Ordinal)
            .Replace("@A_PORT@", Port(pinnedA), StringComparison.Ordinal)
            .Replace("@B_PORT@", Port(pinnedB), StringComparison.Ordinal)
            .Replace("@CACHE_PORT@", Port(FreePort()), StringComparison.Ordinal);
        var path = Path.Combine(root, "nginx.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo(nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(root);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("-g");
        start.ArgumentList.Add("daemon off;");

        Start(start, "nginx");
    }

    private Process Start(ProcessStartInfo start, string name)
    {
        var log = new StreamWriter(Path.Combine(work, name + ".log")) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
        return process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task WaitUntilReadyAsync(Uri url)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (processes.Any(p => p.HasExited))
            {
                break;
            }
            await Task.Delay(200);
        }

        Assert.Fail($"{url} did not become ready. Node logs:\n{string.Join("\n", Directory.GetFiles(work, "*.log").Select(f => Path.GetFileName(f) + ": " + string.Join("\n", File.ReadLines(f).TakeLast(15))))}");
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

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
