using System.Globalization;

namespace Petitions.Testing;

/// <summary>
/// The throwaway PostgreSQL and maildev that ./test.sh starts. Tests never fall back to anything else:
/// without them the suite stops with a message saying how to run it.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Admin connection string to the test cluster (database "postgres").</summary>
    public static string PostgresAdminConnectionString => Required("PETITIONS_TEST_PG");

    public static int SmtpPort => int.Parse(Required("PETITIONS_TEST_SMTP_PORT"), CultureInfo.InvariantCulture);

    /// <summary>maildev's REST API, such as http://127.0.0.1:1080.</summary>
    public static Uri MailDevUrl => new(Required("PETITIONS_TEST_MAILDEV_URL"));

    /// <summary>The two Citus workers' ports under <c>./test.sh --citus</c> (the admin connection is then the coordinator); null otherwise.</summary>
    public static int[]? CitusWorkerPorts =>
        Environment.GetEnvironmentVariable("PETITIONS_TEST_CITUS_WORKERS") is { Length: > 0 } ports
            ? [.. ports.Split(',').Select(TestDatabase.ParsePort)]
            : null;

    private static string Required(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{name} is not set. The integration tests need the throwaway PostgreSQL and SMTP server (maildev) " +
                "that the test script starts: run ./test.sh from the repository root, for example " +
                "./test.sh --filter \"FullyQualifiedName~Signing\".");
        }

        return value;
    }
}
