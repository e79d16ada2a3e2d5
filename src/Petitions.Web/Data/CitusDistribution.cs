using Npgsql;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Data;

/// <summary>
/// <c>Petitions.Web.dll distribute</c>: lays a migrated database on a Citus coordinator out over the workers
/// (<see cref="DistributeSql.Distribute"/>). Running it again is a no-op.
/// </summary>
public static class CitusDistribution
{
    public static async Task<bool> HasCitusAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(DistributeSql.HasCitus, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // Whether each database (by connection string) is a Citus coordinator; asked once per process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Coordinators = new();

    /// <summary>
    /// On Citus, a transaction that reads or changes the distributed signatures over one connection per shard and then
    /// changes a reference or coordinator-local table (petitions, deliveries) is refused; sequential mode reads the
    /// shards over one connection instead. Call it first in such a transaction. Plain PostgreSQL pays one lookup per process.
    /// </summary>
    public static async Task UseSequentialOnCitusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        if (await IsCoordinatorAsync(connection, cancellationToken))
        {
            await using var command = new NpgsqlCommand(DistributeSql.Sequential, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Whether the connection's database is a Citus coordinator, asked once per database and process.</summary>
    public static async Task<bool> IsCoordinatorAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!Coordinators.TryGetValue(connection.ConnectionString, out var citus))
        {
            citus = await HasCitusAsync(connection, cancellationToken);
            Coordinators[connection.ConnectionString] = citus;
        }

        return citus;
    }

    /// <summary>Distributes the tables; returns the resulting layout, one table a line, or throws when the database has no Citus.</summary>
    public static async Task<IReadOnlyList<string>> DistributeAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await HasCitusAsync(connection, cancellationToken))
        {
            throw new InvalidOperationException(
                $"The database \"{connection.Database}\" has no Citus extension, so there is nothing to distribute over. " +
                "Run distribute against a Citus coordinator (CREATE EXTENSION citus, with the workers added; see scripts/citus.sh), after migrate.");
        }

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var sequential = new NpgsqlCommand(DistributeSql.Sequential, connection, transaction))
            {
                await sequential.ExecuteNonQueryAsync(cancellationToken);
            }

            // Copying existing rows into the shards can take a while on a large database.
            await using (var distribute = new NpgsqlCommand(DistributeSql.Distribute, connection, transaction) { CommandTimeout = 0 })
            {
                await distribute.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var layout = new List<string>();
        await using var command = new NpgsqlCommand(DistributeSql.Layout, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var column = reader.IsDBNull(2) ? "" : $" by {reader.GetString(2)}";
            layout.Add($"{reader.GetString(0)}: {reader.GetString(1)}{column}, {reader.GetInt32(3)} shard(s)");
        }

        return layout;
    }
}
