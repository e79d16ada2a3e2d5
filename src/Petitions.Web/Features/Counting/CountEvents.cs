using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Features.Counting;

/// <summary>
/// Starts and stops signatures counting. Whatever changes a signature into or out of <see cref="SignatureState.Confirmed"/>
/// writes the matching count_events rows (CountingSql.InsertEvents) in the same statement, which CountingWorker applies within one interval.
/// The state is the guard: only a Confirmed signature can be removed and only one in the given state restored, so
/// repeating either (or racing it) never counts a signature twice or takes it off twice.
/// </summary>
public static class CountEvents
{
    /// <summary>Stops the given signatures counting, moving those that are Confirmed to <paramref name="to"/>; returns how many stopped.</summary>
    public static Task<int> RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<long> signatureIds, SignatureState to, CancellationToken cancellationToken)
    {
        if (to is SignatureState.Confirmed or SignatureState.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "A removed signature is Invalidated or Withdrawn.");
        }

        return RunAsync(connection, transaction, CountingSql.Remove, signatureIds, to, cancellationToken);
    }

    /// <summary>Counts again those of the given signatures that are in <paramref name="from"/>, making them Confirmed; returns how many.</summary>
    public static Task<int> RestoreAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<long> signatureIds, SignatureState from, CancellationToken cancellationToken)
    {
        if (from is SignatureState.Confirmed or SignatureState.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "Only an Invalidated or Withdrawn signature is restored.");
        }

        return RunAsync(connection, transaction, CountingSql.Restore, signatureIds, from, cancellationToken);
    }

    /// <summary><see cref="RemoveAsync(NpgsqlConnection, NpgsqlTransaction?, IReadOnlyCollection{long}, SignatureState, CancellationToken)"/> in the context's connection and current transaction.</summary>
    public static Task<int> RemoveAsync(PetitionsDbContext db, IReadOnlyCollection<long> signatureIds, SignatureState to, CancellationToken cancellationToken) =>
        InContextAsync(db, (connection, transaction) => RemoveAsync(connection, transaction, signatureIds, to, cancellationToken), cancellationToken);

    /// <summary><see cref="RestoreAsync(NpgsqlConnection, NpgsqlTransaction?, IReadOnlyCollection{long}, SignatureState, CancellationToken)"/> in the context's connection and current transaction.</summary>
    public static Task<int> RestoreAsync(PetitionsDbContext db, IReadOnlyCollection<long> signatureIds, SignatureState from, CancellationToken cancellationToken) =>
        InContextAsync(db, (connection, transaction) => RestoreAsync(connection, transaction, signatureIds, from, cancellationToken), cancellationToken);

    private static async Task<int> InContextAsync(PetitionsDbContext db, Func<NpgsqlConnection, NpgsqlTransaction?, Task<int>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            DbTransaction? transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            return await run((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)transaction);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<int> RunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, IReadOnlyCollection<long> signatureIds, SignatureState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(signatureIds);
        if (signatureIds.Count == 0)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = signatureIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = state.ToString() });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
