using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Signing;

public sealed record PetitionForSigning(long Id, string Slug, string Title, string Status);

public enum SignOutcome
{
    ConfirmationSent,
    AlreadySigned,
}

/// <summary>
/// The signing hot path, on Npgsql directly: one statement upserts the signature and adds its outbox row.
/// It never touches the petition row, so signers of one viral petition do not queue behind each other.
/// </summary>
public sealed class SignHandler(NpgsqlDataSource dataSource, EmailRenderer renderer, Outbox outbox, OutboxSignal signal, IOptions<SiteOptions> site)
{
    private readonly string baseUrl = site.Value.BaseUrl.TrimEnd('/');

    public async Task<PetitionForSigning?> FindPetitionAsync(string slug, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, slug, title, status FROM petitions WHERE slug = $1 AND status <> 'Draft'");
        command.Parameters.Add(new NpgsqlParameter { Value = slug });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PetitionForSigning(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    public async Task<SignOutcome> SignAsync(PetitionForSigning petition, SignForm form, string? ipAddress, CancellationToken cancellationToken)
    {
        var email = form.Email!.Trim();
        var name = form.FullName!.Trim();
        var (token, hash) = Tokens.Create();
        var petitionUrl = $"{baseUrl}/p/{petition.Slug}";

        // Rendered before touching the database, so no connection or row lock is held while Razor runs.
        var confirmation = outbox.Create("confirm-signature", email, name,
            await renderer.RenderAsync("ConfirmSignature", new ConfirmSignatureEmail(name, petition.Title, petitionUrl, $"{baseUrl}/s/confirm/{token}")));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One statement, so one round trip and its own transaction: the upsert, and the confirmation email only when
        // the signature is (still) pending. A confirmed signature keeps its token, and gets a different email below.
        await using var command = new NpgsqlCommand(
            """
            WITH signature AS (
                INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason,
                    show_publicly, email_updates, share_email_with_organizer, state, confirmation_token_hash, ip_address, created_at, counted)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'Pending', $11, $12, now(), false)
                ON CONFLICT (petition_id, normalized_email) DO UPDATE
                    SET confirmation_token_hash = CASE WHEN signatures.state = 'Pending'
                        THEN excluded.confirmation_token_hash ELSE signatures.confirmation_token_hash END
                RETURNING state
            ), confirmation AS (
                INSERT INTO outbox_messages (message_id, kind, to_address, to_name, subject, html_body, text_body, headers_json, created_at, due_at, attempts)
                SELECT $13, 'confirm-signature', $3, $2, $14, $15, $16, NULL, $17, $17, 0 FROM signature WHERE state = 'Pending'
            )
            SELECT state FROM signature
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = petition.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        command.Parameters.Add(new NpgsqlParameter { Value = EmailAddresses.Normalize(email) });
        command.Parameters.Add(new NpgsqlParameter { Value = form.Country! });
        command.Parameters.Add(new NpgsqlParameter { Value = form.PostcodeOrCity!.Trim() });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrWhiteSpace(form.Reason) ? DBNull.Value : form.Reason.Trim(), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = form.ShowPublicly });
        command.Parameters.Add(new NpgsqlParameter { Value = form.EmailUpdates });
        command.Parameters.Add(new NpgsqlParameter { Value = form.ShareEmailWithOrganizer });
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)ipAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = confirmation.MessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = confirmation.Subject });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)confirmation.HtmlBody ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)confirmation.TextBody ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = confirmation.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var state = (string)(await command.ExecuteScalarAsync(cancellationToken))!;

        var outcome = state == "Pending" ? SignOutcome.ConfirmationSent : SignOutcome.AlreadySigned;
        if (outcome == SignOutcome.AlreadySigned)
        {
            // The upsert changed nothing for a confirmed signature, so this notice needs no shared transaction.
            var notice = await renderer.RenderAsync("AlreadySigned", new AlreadySignedEmail(name, petition.Title, petitionUrl));
            await Outbox.InsertAsync(connection, null, outbox.Create("already-signed", email, name, notice), cancellationToken);
        }

        signal.Notify();
        return outcome;
    }
}

public sealed record ConfirmSignatureEmail(string Name, string PetitionTitle, string PetitionUrl, string ConfirmUrl);

public sealed record AlreadySignedEmail(string Name, string PetitionTitle, string PetitionUrl);
