using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Counting;

namespace Petitions.Web.Features.Integrity;

public sealed record MatchCounts(int Total, int Confirmed, int Pending, int Invalidated, int Withdrawn)
{
    public int Invalidatable => Confirmed + Pending;
}

public sealed record SignatureMatch(
    long Id, string PetitionSlug, string PetitionTitle, string FullName, string Email, string Place, string Country,
    string? IpAddress, SignatureState State, DateTimeOffset CreatedAt, string? InvalidationReason);

public sealed record SearchPage(MatchCounts Counts, IReadOnlyList<SignatureMatch> Rows, long? NextBefore);

/// <summary>
/// Search, invalidation and undo. Counts change only through <see cref="CountEvents"/>, so the batched counter applies
/// them within one interval and a recount always agrees.
/// </summary>
public sealed class SignatureIntegrity(PetitionsDbContext db, AuditLog audit, TimeProvider clock, Domain.Privacy.ProtectedFields protectedFields)
{
    public const int PageSize = 50;

    /// <summary>The petition named by the criteria: (found, id, slug); found is false when one was named and does not exist.</summary>
    public async Task<(bool Found, long? Id, string? Slug)> FindPetitionAsync(SignatureCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var (slug, id) = SignatureCriteria.ParsePetition(criteria.Petition);
        if (slug is null && id is null)
        {
            return (true, null, null);
        }

        var petition = await db.Petitions.AsNoTracking().Where(p => slug != null ? p.Slug == slug : p.Id == id)
            .Select(p => new { p.Id, p.Slug }).SingleOrDefaultAsync(cancellationToken);
        return petition is null ? (false, null, null) : (true, petition.Id, petition.Slug);
    }

    public async Task<SearchPage> SearchAsync(SignatureFilter filter, long? before, string description, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moderator);
        var counts = await CountAsync(filter, cancellationToken);
        var rows = new List<SignatureMatch>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand { Connection = (NpgsqlConnection)db.Database.GetDbConnection() };
            var where = IntegritySql.Where(command, filter, Identities(filter));
            command.With(before ?? long.MaxValue).With(PageSize + 1);
            var n = command.Parameters.Count;
            command.CommandText = IntegritySql.Page(where, $"${n - 1}", $"${n}");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var open = protectedFields.Open(reader.GetBoolean(11), reader.GetInt64(12), reader.GetString(13), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), null);
                rows.Add(new SignatureMatch(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), open.FullName, open.Email, open.PostcodeOrCity,
                    reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), Enum.Parse<SignatureState>(reader.GetString(8)),
                    reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        long? next = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
        }

        await audit.WriteAsync(ActorId(moderator), AuditAction.SearchSignatures, AuditTarget.Signature, "search", filter.PetitionId, Cut(description), cancellationToken);
        return new SearchPage(counts, rows, next);
    }

    private IReadOnlyList<string> Identities(SignatureFilter filter) =>
        filter.NormalizedEmail is { } email ? protectedFields.Identities(email) : [];

    public async Task<MatchCounts> CountAsync(SignatureFilter filter, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand { Connection = (NpgsqlConnection)db.Database.GetDbConnection() };
            command.CommandText = IntegritySql.Count(IntegritySql.Where(command, filter, Identities(filter)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new MatchCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Invalidates every Confirmed or Pending signature the filter matches, in one transaction with its record and audit row.</summary>
    public async Task<SignatureInvalidation> InvalidateAsync(SignatureFilter filter, string description, string reason, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(moderator);
        var actorId = ActorId(moderator);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invalidation = new SignatureInvalidation { At = now, ById = actorId, Reason = reason, Criteria = Cut(description), PetitionId = filter.PetitionId };
        db.SignatureInvalidations.Add(invalidation);
        await db.SaveChangesAsync(cancellationToken);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        var ids = new List<long>();
        await using (var select = new NpgsqlCommand { Connection = connection, Transaction = npgsqlTransaction })
        {
            select.CommandText = IntegritySql.LockInvalidatable(IntegritySql.Where(select, filter, Identities(filter)));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var confirmed = await CountEvents.RemoveAsync(connection, npgsqlTransaction, ids, SignatureState.Invalidated, cancellationToken);
        int marked;
        await using (var mark = new NpgsqlCommand(IntegritySql.MarkInvalidated, connection, npgsqlTransaction))
        {
            mark.With(ids.ToArray()).WithTimestamp(now).WithText(actorId).With(reason).With(invalidation.Id);
            marked = await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        invalidation.ConfirmedCount = confirmed;
        invalidation.PendingCount = marked - confirmed;
        audit.Add(actorId, AuditAction.InvalidateSignatures, AuditTarget.Invalidation, invalidation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            filter.PetitionId, Cut($"{reason} ({confirmed} confirmed, {marked - confirmed} pending; {description})"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invalidation;
    }

    /// <summary>Puts an invalidation's signatures back as they were (Confirmed ones count again); false if it does not exist or was undone already.</summary>
    public async Task<bool> UndoAsync(long invalidationId, ClaimsPrincipal admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var actorId = ActorId(admin);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        await using (var claim = new NpgsqlCommand(IntegritySql.ClaimUndo, connection, npgsqlTransaction))
        {
            claim.With(invalidationId).WithTimestamp(clock.GetUtcNow()).WithText(actorId);
            if (await claim.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        var wasConfirmed = new List<long>();
        var wasPending = new List<long>();
        await using (var select = new NpgsqlCommand(IntegritySql.LockInvalidatedBy, connection, npgsqlTransaction))
        {
            select.With(invalidationId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetBoolean(1) ? wasConfirmed : wasPending).Add(reader.GetInt64(0));
            }
        }

        var restored = await CountEvents.RestoreAsync(connection, npgsqlTransaction, wasConfirmed, SignatureState.Invalidated, cancellationToken);
        await using (var pending = new NpgsqlCommand(IntegritySql.RestorePending, connection, npgsqlTransaction))
        {
            pending.With(wasPending.ToArray());
            await pending.ExecuteNonQueryAsync(cancellationToken);
        }

        var petitionId = await db.SignatureInvalidations.Where(i => i.Id == invalidationId).Select(i => i.PetitionId).SingleAsync(cancellationToken);
        audit.Add(actorId, AuditAction.UndoInvalidation, AuditTarget.Invalidation, invalidationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            petitionId, $"{restored} confirmed and {wasPending.Count} pending signatures restored");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<List<SignatureInvalidation>> RecentInvalidationsAsync(CancellationToken cancellationToken) =>
        db.SignatureInvalidations.AsNoTracking().OrderByDescending(i => i.Id).Take(100).ToListAsync(cancellationToken);

    private static string? ActorId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    private static string Cut(string text) => text.Length <= 2000 ? text : text[..1999] + "…";
}
