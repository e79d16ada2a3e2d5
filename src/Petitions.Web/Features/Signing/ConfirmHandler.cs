using Npgsql;

namespace Petitions.Web.Features.Signing;

public enum ConfirmOutcome
{
    Confirmed,
    AlreadyConfirmed,
    PetitionClosed,
    Unknown,
}

public sealed record ConfirmResult(ConfirmOutcome Outcome, string? Slug = null, string? Title = null);

public sealed class ConfirmHandler(NpgsqlDataSource dataSource)
{
    public async Task<ConfirmResult> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Tokens.Hash(token);
        // A signature made before the petition closed still counts when confirmed afterwards.
        await using (var confirm = dataSource.CreateCommand(
            """
            UPDATE signatures s SET state = 'Confirmed', confirmed_at = now()
            FROM petitions p
            WHERE s.confirmation_token_hash = $1 AND s.state = 'Pending' AND p.id = s.petition_id
              AND (p.status = 'Open' OR (p.closed_at IS NOT NULL AND s.created_at < p.closed_at))
            RETURNING p.slug, p.title
            """))
        {
            confirm.Parameters.Add(new NpgsqlParameter { Value = hash });
            await using var reader = await confirm.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new ConfirmResult(ConfirmOutcome.Confirmed, reader.GetString(0), reader.GetString(1));
            }
        }

        await using var lookup = dataSource.CreateCommand(
            "SELECT s.state, p.slug, p.title FROM signatures s JOIN petitions p ON p.id = s.petition_id WHERE s.confirmation_token_hash = $1");
        lookup.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var found = await lookup.ExecuteReaderAsync(cancellationToken);
        if (!await found.ReadAsync(cancellationToken))
        {
            return new ConfirmResult(ConfirmOutcome.Unknown);
        }

        var outcome = found.GetString(0) == "Confirmed" ? ConfirmOutcome.AlreadyConfirmed : ConfirmOutcome.PetitionClosed;
        return new ConfirmResult(outcome, found.GetString(1), found.GetString(2));
    }
}
