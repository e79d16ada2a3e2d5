using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Email;
using Petitions.Web.Features.Withdrawal;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Signing;

/// <summary>A petition as signing sees it; <paramref name="IsAcceptingSignatures"/> is false once it is closed or past its closing date, even before the closer has set its <paramref name="Status"/>.</summary>
public sealed record PetitionForSigning(long Id, string Slug, string Title, PetitionStatus Status, bool IsAcceptingSignatures, bool IsPaused = false, bool IsProtected = false);

public enum SignOutcome
{
    ConfirmationSent,
    AlreadySigned,
    PetitionClosed,
}

/// <summary>
/// The signing hot path, on Npgsql directly: one statement upserts the signature, takes a send from the address's
/// email allowance and adds its outbox row. It never updates the petition row, so signers of one viral petition do
/// not queue behind each other.
/// </summary>
public sealed class SignHandler(
    NpgsqlDataSource dataSource, Outbox outbox, OutboxSignal signal, EmailThrottle throttle, IOptions<SiteOptions> site, SiteLanguages languages, WithdrawTokens withdrawTokens, ProtectedFields protectedFields)
{
    private readonly SiteLinks links = new(site, languages);

    /// <summary>The petition, titled in <paramref name="language"/> where it has a translation (for the signer's emails and pages).</summary>
    public async Task<PetitionForSigning?> FindPetitionAsync(string slug, CancellationToken cancellationToken, string? language = null)
    {
        await using var command = dataSource.CreateCommand(SignatureSql.FindPetition).With(slug).With(language ?? "");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PetitionForSigning(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                Enum.Parse<PetitionStatus>(reader.GetString(3)), reader.GetBoolean(4), reader.GetBoolean(5), reader.GetBoolean(6))
            : null;
    }

    public Task<SignOutcome> SignAsync(PetitionForSigning petition, SignForm form, string? ipAddress, CancellationToken cancellationToken) =>
        SignAsync(petition, form, ipAddress, languages.Default, cancellationToken);

    /// <summary>Signs in <paramref name="language"/>: the emails are written in it, and so are the signer's later notices.</summary>
    public async Task<SignOutcome> SignAsync(PetitionForSigning petition, SignForm form, string? ipAddress, Language language, CancellationToken cancellationToken)
    {
        var email = form.Email!.Trim();
        var name = form.FullName!.Trim();
        var place = form.PostcodeOrCity?.Trim() ?? "";
        var reason = string.IsNullOrWhiteSpace(form.Reason) ? null : form.Reason.Trim();
        var (token, hash) = Tokens.Create();
        var petitionUrl = links.Petition(petition.Slug, language);
        var normalizedEmail = EmailAddresses.Normalize(email);
        // A protected petition stores the fields encrypted, the address's keyed hash in place of the normalized address,
        // and no IP; the outbox row still gets the address, which the sender clears once it has gone.
        var stored = petition.IsProtected
            ? protectedFields.Seal(petition.Id, normalizedEmail, new SignerFields(name, email, place, reason))
            : new SealedSignerFields(normalizedEmail, name, email, place, reason);
        if (petition.IsProtected)
        {
            // Its row keeps neither the IP nor a readable address, so the block lists are applied now: a blocked
            // signer's link then matches no row and fails as a blocked link does at confirmation.
            if (await Moderation.SigningBlocks.StopsAsync(dataSource, normalizedEmail, ipAddress, cancellationToken))
            {
                hash = Tokens.Create().Hash;
            }

            ipAddress = null;
        }

        var withdrawUrl = links.Withdraw(withdrawTokens.Create(petition.Id, stored.NormalizedEmail), language);

        // Not rendered here: the row carries the model, and the outbox worker renders it when it sends.
        var details = new SignatureDetails(name, place, CountryNames.NameOf(form.Country!, language.UiCulture), reason, form.ShowPublicly, form.EmailUpdates, form.ShareEmailWithOrganizer);
        var confirmation = outbox.CreateDeferred(EmailKind.ConfirmSignature, email, name,
            new ConfirmSignatureEmail(details, petition.Title, petitionUrl, links.ConfirmSignature(token, language), withdrawUrl), SigningEmailJson.Default.ConfirmSignatureEmail, language);

        string state;
        bool mayEmail;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // One statement, so one round trip and its own transaction. Past the address's hourly allowance the
            // signature is still saved (a later email's link confirms it) but no email is queued.
            await using var command = new NpgsqlCommand(SignatureSql.Sign, connection)
                .With(petition.Id).With(stored.FullName).With(stored.Email).With(stored.NormalizedEmail).With(form.Country!).With(stored.PostcodeOrCity).WithText(stored.Reason)
                .With(form.ShowPublicly).With(form.EmailUpdates).With(form.ShareEmailWithOrganizer).With(hash).WithText(ipAddress)
                .With(confirmation.MessageId).WithJsonb(confirmation.ModelJson)
                .WithTimestamp(confirmation.CreatedAt).With(EmailThrottle.Key(email)).With(throttle.Limit).With(language.Code).With(email).With(name).With(petition.IsProtected);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            state = reader.GetString(0);
            mayEmail = reader.GetBoolean(1);
        }

        var outcome = state switch
        {
            "Closed" => SignOutcome.PetitionClosed,
            "Pending" => SignOutcome.ConfirmationSent,
            _ => SignOutcome.AlreadySigned,
        };
        if (outcome == SignOutcome.AlreadySigned && mayEmail)
        {
            // The rare case, so its row is written only now. The upsert changed nothing for a confirmed signature,
            // so this notice needs no shared transaction; the statement has already counted it against the allowance.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var message = outbox.CreateDeferred(EmailKind.AlreadySigned, email, name,
                new AlreadySignedEmail(name, petition.Title, petitionUrl, withdrawUrl), SigningEmailJson.Default.AlreadySignedEmail, language);
            message.ForgetRecipient = petition.IsProtected;
            await Outbox.InsertAsync(connection, null, message, cancellationToken);
        }

        if (mayEmail)
        {
            signal.Notify();
        }

        return outcome;
    }
}

/// <summary>What a confirmation link will confirm, as the signer submitted it, with their choices in plain words.</summary>
public sealed record SignatureDetails(
    string Name, string PostcodeOrCity, string CountryName, string? Reason, bool ShowPublicly, bool EmailUpdates, bool ShareEmailWithOrganizer)
{
    [JsonIgnore]
    public IReadOnlyList<string> Choices =>
    [
        (Reason is null, ShowPublicly) switch
        {
            (true, true) => "Your name will be shown on the petition page.",
            (true, false) => "Your name will not be shown on the petition page.",
            (false, true) => "Your name and reason will be shown on the petition page.",
            (false, false) => "Your name and reason will not be shown on the petition page.",
        },
        EmailUpdates ? "You will get emails with updates about this petition." : "You will not get emails with updates about this petition.",
        ShareEmailWithOrganizer
            ? "Your email address will be shared with the petition's organizer."
            : "Your email address will not be shared with the petition's organizer.",
    ];
}

public sealed record ConfirmSignatureEmail(SignatureDetails Signature, string PetitionTitle, string PetitionUrl, string ConfirmUrl, string WithdrawUrl);

public sealed record AlreadySignedEmail(string Name, string PetitionTitle, string PetitionUrl, string WithdrawUrl);

/// <summary>The signing emails' models as stored in their outbox rows (Email/DeferredEmails), read and written without reflection.</summary>
[JsonSerializable(typeof(ConfirmSignatureEmail))]
[JsonSerializable(typeof(AlreadySignedEmail))]
internal sealed partial class SigningEmailJson : JsonSerializerContext;
