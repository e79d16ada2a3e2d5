namespace Petitions.BrowserTests;

/// <summary>The throwaway PostgreSQL and maildev that ./test.sh starts and describes in environment variables.</summary>
internal static class TestEnvironment
{
    public static string PostgresAdminConnectionString => Required("PETITIONS_TEST_PG");

    public static int SmtpPort => int.Parse(Required("PETITIONS_TEST_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static Uri MaildevUrl => new(Required("PETITIONS_TEST_MAILDEV_URL"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set. Run the browser tests through ./test.sh, which starts PostgreSQL and maildev.");
}
