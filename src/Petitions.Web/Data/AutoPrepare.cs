using System.Data.Common;
using Npgsql;

namespace Petitions.Web.Data;

/// <summary>
/// The hot statements (signing, confirming, the outbox's) are parsed and planned once per connection rather than on
/// every execution: PostgreSQL's share of a signature is larger than the app's on one box. A connection string that
/// sets Max Auto Prepare itself wins (0 behind a pooler that cannot keep prepared statements, such as PgBouncer before
/// 1.21 in transaction mode).
/// </summary>
public static class AutoPrepare
{
    public const int DefaultStatements = 32;

    public static NpgsqlDataSourceBuilder WithAutoPrepare(this NpgsqlDataSourceBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultStatements;
        }

        return builder;
    }
}
