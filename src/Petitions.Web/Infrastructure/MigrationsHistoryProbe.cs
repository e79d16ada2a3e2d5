using System.Text.RegularExpressions;
using Npgsql;
using Serilog.Events;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// On a new database EF Core reads the migrations history table before it exists, expects the failure, and creates
/// the table; it still logs that failed command as an error. This recognises that one expected case, so that the first
/// thing a newcomer sees is not "[ERR] Failed executing DbCommand". Every other command error is still logged.
/// </summary>
public static partial class MigrationsHistoryProbe
{
    public const string HistoryTable = "__ef_migrations_history";

    /// <summary>RelationalEventId.CommandError: "Failed executing DbCommand".</summary>
    public const int CommandErrorEventId = 20102;

    public static bool IsExpectedFailure(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return logEvent.Level == LogEventLevel.Error
            && logEvent.Properties.TryGetValue("SourceContext", out var source)
            && source is ScalarValue { Value: "Microsoft.EntityFrameworkCore.Database.Command" }
            && IsCommandError(logEvent)
            && logEvent.Properties.TryGetValue("commandText", out var command)
            && command is ScalarValue { Value: string text }
            && IsHistoryRead(text)

            // EF logs this event without the exception; when one is attached, it must be the missing table.
            && (logEvent.Exception is null || IsUndefinedTable(logEvent.Exception));
    }

    private static bool IsCommandError(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var eventId)
        && eventId is StructureValue structure
        && structure.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int id } && id == CommandErrorEventId);

    /// <summary>Only the read of the applied migrations, a single SELECT from the history table and nothing else.</summary>
    private static bool IsHistoryRead(string commandText)
    {
        var text = commandText.Trim().TrimEnd(';');
        return text.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase)
            && HistoryFrom().IsMatch(text)
            && !text.Contains(';', StringComparison.Ordinal);
    }

    [GeneratedRegex("""\bFROM\s+"?__ef_migrations_history"?(\s|$)""", RegexOptions.CultureInvariant)]
    private static partial Regex HistoryFrom();

    private static bool IsUndefinedTable(Exception exception)
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
