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
        builder.UseSetting("ConnectionStrings:Petitions", connectionString);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", TestEnvironment.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:Security", "None");
        builder.UseSetting("Email:From", "petitions@example.test");
        builder.UseSetting("Email:PollSeconds", "0.2");
        // Links in emails must open in the browser, so they point at this server.
        builder.UseSetting("Site:BaseUrl", BaseUrl.ToString().TrimEnd('/'));
        builder.UseSetting("Counting:IntervalSeconds", "0.2");
        builder.UseSetting("RateLimiting:SignPermitsPerMinute", "10000");
        builder.UseSetting("Protection:Key", "dGVzdC1vbmx5LXByb3RlY3Rpb24ta2V5LTMyLWJ5dGU=");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
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
