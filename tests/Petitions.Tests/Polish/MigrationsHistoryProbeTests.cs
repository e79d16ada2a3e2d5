using Petitions.Web.Infrastructure;
using Serilog.Events;
using Serilog.Parsing;

namespace Petitions.Tests.Polish;

/// <summary>The log filter drops only EF's failed read of the missing history table, never another command error.</summary>
public sealed class MigrationsHistoryProbeTests
{
    // As EF Core 10 with Npgsql logs it on a new database.
    private const string Probe = "SELECT migration_id, product_version\nFROM __ef_migrations_history\nORDER BY migration_id;";

    [Fact]
    public void TheHistoryProbe_WithoutAnException_AsEfLogsIt_IsExpected() =>
        Assert.True(MigrationsHistoryProbe.IsExpectedFailure(CommandError(Probe)));

    [Theory]
    [InlineData("SELECT * FROM \"petitions\"")]
    [InlineData("INSERT INTO \"__ef_migrations_history\" (\"migration_id\", \"product_version\") VALUES ('x', '10');")]
    [InlineData("SELECT 1 FROM __ef_migrations_history; DROP TABLE petitions")]
    [InlineData("SELECT migration_id FROM __ef_migrations_history_backup")]
    public void OtherCommands_AreStillLogged(string commandText) =>
        Assert.False(MigrationsHistoryProbe.IsExpectedFailure(CommandError(commandText)));

    [Fact]
    public void TheProbeFailingForAnotherReason_IsStillLogged() =>
        Assert.False(MigrationsHistoryProbe.IsExpectedFailure(CommandError(Probe, new TimeoutException("the server went away"))));

    [Fact]
    public void AnotherEventOnTheSameCommand_IsStillLogged() =>
        Assert.False(MigrationsHistoryProbe.IsExpectedFailure(CommandError(Probe, eventId: 20100)));

    private static LogEvent CommandError(string commandText, Exception? exception = null, int eventId = MigrationsHistoryProbe.CommandErrorEventId) =>
        new(
            DateTimeOffset.UtcNow,
            LogEventLevel.Error,
            exception,
            new MessageTemplateParser().Parse("Failed executing DbCommand{newLine}{commandText}"),
            [
                new LogEventProperty("SourceContext", new ScalarValue("Microsoft.EntityFrameworkCore.Database.Command")),
                new LogEventProperty("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(eventId)), new LogEventProperty("Name", new ScalarValue("Microsoft.EntityFrameworkCore.Database.Command.CommandError"))])),
                new LogEventProperty("commandText", new ScalarValue(commandText)),
            ]);
}
