using Npgsql;
using NpgsqlTypes;

namespace Petitions.Web.Data.Sql;

/// <summary>
/// Positional parameters ($1, $2, …) in the order they are added. Nulls go out typed, as PostgreSQL cannot infer
/// the type of an untyped null in every position.
/// </summary>
public static class SqlParameters
{
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, T value) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand WithText(this NpgsqlCommand command, string? value) => command.WithNullable(value, NpgsqlDbType.Text);

    /// <summary>An optional text value on its own, for EF's ExecuteSqlRaw, which finds no type mapping for a bare DBNull.</summary>
    public static NpgsqlParameter Text(string? value) => Nullable(value, NpgsqlDbType.Text);

    public static NpgsqlCommand WithJsonb(this NpgsqlCommand command, string? value) => command.WithNullable(value, NpgsqlDbType.Jsonb);

    /// <summary>A timestamptz; a DateTimeOffset is sent in UTC, as Npgsql requires.</summary>
    public static NpgsqlCommand WithTimestamp(this NpgsqlCommand command, DateTimeOffset value) => command.With(value.ToUniversalTime());

    private static NpgsqlCommand WithNullable(this NpgsqlCommand command, object? value, NpgsqlDbType type)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.Add(Nullable(value, type));
        return command;
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
