using Npgsql;
using Serilog.Events;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// On a new database EF Core reads the migrations history table before it exists, expects the failure, and creates
/// the table; it still logs that failed command as an error. This recognises that one expected case, so that the first
/// thing a newcomer sees is not "[ERR] Failed executing DbCommand". Every other command error is still logged.
/// </summary>
public static class MigrationsHistoryProbe
{
    public const string HistoryTable = "__ef_migrations_history";

    public static bool IsExpectedFailure(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return logEvent.Level == LogEventLevel.Error
            && logEvent.Properties.TryGetValue("SourceContext", out var source)
            && source is ScalarValue { Value: "Microsoft.EntityFrameworkCore.Database.Command" }
            && logEvent.Properties.TryGetValue("commandText", out var command)
            && command is ScalarValue { Value: string text }
            && text.Contains(HistoryTable, StringComparison.Ordinal)
            && IsUndefinedTable(logEvent.Exception);
    }

    private static bool IsUndefinedTable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
            {
                return true;
            }
        }

        return false;
    }
}
