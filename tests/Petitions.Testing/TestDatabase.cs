using System.Globalization;
using Npgsql;
using Petitions.Web.Data;

namespace Petitions.Testing;

/// <summary>
/// Creates and drops a test database on the test server. Under <c>./test.sh --citus</c> the server is a Citus
/// coordinator: the database is then created on the workers too, with the extension on every node and the workers
/// registered, because Citus only accepts template1 as a template and cannot be put into template1 (its maintenance
/// daemon keeps a connection open to every database that has it).
/// </summary>
public static class TestDatabase
{
    public static async Task CreateAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        if (TestEnvironment.CitusWorkerPorts is not { } workers)
        {
            return;
        }

        foreach (var port in workers)
        {
            await ExecuteAsync(Admin(port), $"CREATE DATABASE \"{name}\"");
        }

        foreach (var port in workers)
        {
            await ExecuteAsync(On(Admin(port), name), "CREATE EXTENSION citus");
        }

        var coordinator = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString);
        await ExecuteAsync(On(coordinator.ConnectionString, name), "CREATE EXTENSION citus");
        await ExecuteAsync(
            On(coordinator.ConnectionString, name),
            $"SELECT citus_set_coordinator_host('127.0.0.1', {coordinator.Port})",
            $"SELECT citus_add_node('127.0.0.1', {workers[0]})",
            $"SELECT citus_add_node('127.0.0.1', {workers[1]})");
    }

    /// <summary>After the migrations: under Citus, distributes the tables as <c>Petitions.Web.dll distribute</c> does.</summary>
    public static async Task PrepareAsync(string connectionString)
    {
        if (TestEnvironment.CitusWorkerPorts is null)
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await CitusDistribution.DistributeAsync(dataSource);
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(TestEnvironment.PostgresAdminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        foreach (var port in TestEnvironment.CitusWorkerPorts ?? [])
        {
            await ExecuteAsync(Admin(port), $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static string Admin(int port) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString) { Port = port }.ConnectionString;

    private static string On(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    internal static int ParsePort(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
