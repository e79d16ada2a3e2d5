using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Withdrawal;

namespace Petitions.Web.Features.Signing;

public enum ConfirmOutcome
{
    Confirmed,
    AlreadyConfirmed,
    PetitionClosed,
    Unknown,
}

/// <summary>
/// Count includes this signature, which the batched counter may not have added yet; DisplayGoal is the page's goal;
/// WithdrawToken signs the thank-you page's "Withdraw my signature" link.
/// </summary>
public sealed record ConfirmResult(ConfirmOutcome Outcome, string? Slug = null, string? Title = null, int Count = 0, int DisplayGoal = 0, string? WithdrawToken = null);

public sealed class ConfirmHandler(NpgsqlDataSource dataSource, WithdrawTokens withdrawTokens)
{
    /// <summary>Confirms; the result names the petition by its title in <paramref name="language"/> where it has a translation.</summary>
    public async Task<ConfirmResult> ConfirmAsync(string token, string language, CancellationToken cancellationToken)
    {
        var hash = Tokens.Hash(token);
        // A signature made before the petition closed still counts when confirmed afterwards. It closes at its closing
        // date even before the closer has been by (which then sets closed_at to that date), as SignHandler agrees.
        await using (var confirm = dataSource.CreateCommand(SignatureSql.Confirm))
        {
            confirm.With(hash).With(language);
            await using var reader = await confirm.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // Just confirmed, so not counted yet: the petition's count plus this one.
                var count = reader.GetInt32(2) + 1;
                return new ConfirmResult(ConfirmOutcome.Confirmed, reader.GetString(0), reader.GetString(1), count, Goals.Display(reader.GetInt32(3), reader.GetBoolean(4), count),
                    withdrawTokens.Create(reader.GetInt64(5), reader.GetString(6)));
            }
        }

        await using var lookup = dataSource.CreateCommand(SignatureSql.FindByToken).With(hash).With(language);
        await using var found = await lookup.ExecuteReaderAsync(cancellationToken);
        if (!await found.ReadAsync(cancellationToken))
        {
            return new ConfirmResult(ConfirmOutcome.Unknown);
        }

        // An invalidated signature looks confirmed to its signer; a blocked one looks like a link that does not work.
        var outcome = found.GetString(0) switch
        {
            nameof(SignatureState.Pending) when found.GetBoolean(8) => ConfirmOutcome.Unknown,
            nameof(SignatureState.Confirmed) or nameof(SignatureState.Invalidated) => ConfirmOutcome.AlreadyConfirmed,
            nameof(SignatureState.Withdrawn) => ConfirmOutcome.Unknown,
            _ => ConfirmOutcome.PetitionClosed,
        };
        var shown = found.GetInt32(3);
        return new ConfirmResult(outcome, found.GetString(1), found.GetString(2), shown, Goals.Display(found.GetInt32(4), found.GetBoolean(5), shown),
            outcome == ConfirmOutcome.AlreadyConfirmed ? withdrawTokens.Create(found.GetInt64(6), found.GetString(7)) : null);
    }
}
