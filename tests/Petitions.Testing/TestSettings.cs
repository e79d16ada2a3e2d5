using System.Globalization;

namespace Petitions.Testing;

/// <summary>The settings every test app starts with: its own database, maildev over plain SMTP, quick workers and a fixed protection key.</summary>
public static class TestSettings
{
    public const string FromAddress = "petitions@example.test";

    /// <summary>A fixed test key, so petitions may be protected (see ProtectedFields).</summary>
    public const string ProtectionKey = "dGVzdC1vbmx5LXByb3RlY3Rpb24ta2V5LTMyLWJ5dGU=";

    public static Dictionary<string, string> For(string connectionString, string baseUrl) => new()
    {
        ["ConnectionStrings:Petitions"] = connectionString,
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = TestEnvironment.SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Email:From"] = FromAddress,
        ["Email:PollSeconds"] = "0.2",
        ["Site:BaseUrl"] = baseUrl,
        ["RateLimiting:SignPermitsPerMinute"] = "100000",
        ["Counting:IntervalSeconds"] = "0.2",
        ["Protection:Key"] = ProtectionKey,
    };
}
