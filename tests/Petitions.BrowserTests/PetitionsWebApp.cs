using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Petitions.BrowserTests;

/// <summary>The real site on Kestrel, on a real TCP port, so that Chromium can reach it; <paramref name="settings"/> change or add settings.</summary>
public sealed class PetitionsWebApp(string connectionString, int port, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public Uri BaseUrl { get; } = new($"http://127.0.0.1:{port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // Links in emails must open in the browser, so they point at this server.
        var all = TestSettings.For(connectionString, BaseUrl.ToString().TrimEnd('/'));
        all["Serilog:MinimumLevel:Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }
    }

    public void Start()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        StartServer();
    }
}
