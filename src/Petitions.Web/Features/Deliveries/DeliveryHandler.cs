using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// Delivers a petition: records the delivery with the exact confirmed count, and in the same transaction queues one
/// email per recipient (with a fresh link, and the CSV for small lists), the organizer's receipt and the supporters'
/// notice. Also records recipients' downloads and responses.
/// </summary>
public sealed partial class DeliveryHandler(
    PetitionsDbContext db,
    EmailRenderer renderer,
    Outbox outbox,
    OutboxSignal outboxSignal,
    SupporterNotices notices,
    SignatureCsv csv,
    SuppressionLinks suppressionLinks,
    IOutputCacheStore pageCache,
    Verify.DeliveryTrees trees,
    Domain.Privacy.ProtectedFields protectedFields,
    UserManager<ApplicationUser> users,
    IOptions<SiteOptions> site,
    IOptions<DeliveryOptions> options,
    DeliveryLanguage deliveryLanguage,
    Localization.SiteLanguages languages,
    TimeProvider clock,
    ILogger<DeliveryHandler> logger)
{
    /// <summary>Lists up to this size also go with the email as a CSV attachment.</summary>
    public const int AttachCsvUpTo = 1_000;

    /// <summary>Stands in for the personal link in the organizer's preview.</summary>
    public const string PreviewToken = "your-personal-link";

    // Links open in the language of the page they were made from, the delivery's language when delivering.
    private readonly SiteLinks links = new(site, languages);

    public static bool CanDeliver(Petition petition) => petition.CanDeliver;

    public string LinkUrl(string token) => links.Recipient(token, deliveryLanguage.Current);

    public string StopUrl(string token) => links.StopEmails(token, deliveryLanguage.Current);

    public string PetitionUrl(Petition petition) => links.Petition(petition.Slug, deliveryLanguage.Current);

    public string DeliveriesUrl(Petition petition) => links.Deliveries(petition.Slug, deliveryLanguage.Current);

    public Task<int> ConfirmedCountAsync(long petitionId, DateTimeOffset by, CancellationToken cancellationToken) =>
        db.Signatures.CountAsync(s => s.PetitionId == petitionId && s.State == SignatureState.Confirmed && s.ConfirmedAt <= by, cancellationToken);

    /// <summary>The email the first picked recipient who can be emailed would get, with placeholder links.</summary>
    public async Task<(EmailContent Content, bool CsvAttached)> PreviewAsync(Petition petition, DeliverForm form, IReadOnlySet<long> suppressed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(suppressed);
        var now = clock.GetUtcNow();
        var count = await ConfirmedCountAsync(petition.Id, now, cancellationToken);
        var first = form.Picked.First(r => !suppressed.Contains(r.DecisionMakerId));
        var model = RecipientEmail(petition, first.Name, form.CoverMessage!, count, LinkUrl(PreviewToken), StopUrl(PreviewToken),
            now.AddDays(options.Value.LinkDays), count <= AttachCsvUpTo);
        return (await renderer.RenderAsync(EmailKind.Delivery, model), count <= AttachCsvUpTo);
    }

    /// <summary>
    /// Delivers to the picked decision makers of a validated form, skipping suppressed addresses; null when the
    /// petition or the organizer may not deliver now, or nobody picked can be emailed (checked again here, under a lock
    /// per organizer, so parallel posts cannot pass the daily limit). <paramref name="petition"/> is tracked by this context.
    /// </summary>
    public async Task<Delivery?> DeliverAsync(Petition petition, DeliverForm form, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        ArgumentNullException.ThrowIfNull(form);
        var coverMessage = form.CoverMessage!.Trim();
        var actorId = users.GetUserId(actor) ?? "";

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        await CitusDistribution.UseSequentialOnCitusAsync(connection, npgsqlTransaction, cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"delivery:" + actorId}, 0))", cancellationToken);
        var now = clock.GetUtcNow();
        var expires = now.AddDays(options.Value.LinkDays);
        var suppressed = await SuppressedAsync(form, cancellationToken);
        var picked = form.Picked.Where(r => !suppressed.Contains(r.DecisionMakerId)).ToList();
        if (picked.Count == 0 || !(await AllowanceAsync(petition, actorId, now, cancellationToken)).Allowed)
        {
            return null;
        }

        // The addresses typed here are kept on the decision makers for next time.
        foreach (var choice in picked)
        {
            var decisionMaker = petition.DecisionMakers.Single(d => d.Id == choice.DecisionMakerId);
            decisionMaker.Email = choice.TrimmedEmail;
        }

        // The Merkle tree over the delivered signatures (docs/receipts.md); its size is the delivered count.
        var saltKey = Verify.DeliveryTrees.NewSaltKey();
        var tree = await Verify.DeliveryTrees.BuildAsync(connection, npgsqlTransaction, petition.Id, now, saltKey, protectedFields, cancellationToken);
        var count = tree.Tree.Count;
        var language = deliveryLanguage.Current;
        var attachment = count <= AttachCsvUpTo ? await csv.ToBytesAsync(petition.Id, now, cancellationToken, deliveryLanguage.CsvHeader(language)) : null;
        var delivery = new Delivery
        {
            PetitionId = petition.Id,
            DeliveredAt = now,
            CoverMessage = coverMessage,
            SignatureCount = count,
            DeliveredById = actorId,
            MerkleRoot = tree.Tree.Root,
            SaltKey = petition.Protected ? protectedFields.SealSaltKey(petition.Id, saltKey) : saltKey,
            Language = language.Code,
        };
        foreach (var choice in picked)
        {
            var decisionMaker = petition.DecisionMakers.Single(d => d.Id == choice.DecisionMakerId);
            var (token, hash) = RecipientTokens.Create();
            delivery.Recipients.Add(new DeliveryRecipient
            {
                DecisionMakerId = decisionMaker.Id,
                Name = decisionMaker.Name,
                TitleOrOrganization = decisionMaker.TitleOrOrganization,
                Email = choice.TrimmedEmail,
                AccessTokenHash = hash,
                AccessExpiresAt = expires,
            });
            var stopUrl = StopUrl(suppressionLinks.CreateToken(choice.TrimmedEmail!));
            var content = await renderer.RenderAsync(EmailKind.Delivery,
                RecipientEmail(petition, decisionMaker.Name, coverMessage, count, LinkUrl(token), stopUrl, expires, attachment is not null));
            // RFC 8058 one-click: mail clients offer "unsubscribe", which here means no more deliveries to this address.
            var message = outbox.Create(EmailKind.Delivery, choice.TrimmedEmail!, decisionMaker.Name, content, Outbox.OneClickUnsubscribe(stopUrl));
            if (attachment is not null)
            {
                message.AttachmentName = SignatureCsv.FileName(petition.Slug);
                message.AttachmentContent = attachment;
            }

            db.OutboxMessages.Add(message);
        }

        db.Deliveries.Add(delivery);
        var names = delivery.Recipients.Select(r => PlainText.NameAndTitle(r.Name, r.TitleOrOrganization)).ToList();

        var organizer = await OrganizerAsync(petition, actor);
        if (organizer?.Email is { } organizerEmail)
        {
            var receipt = await renderer.RenderAsync(EmailKind.DeliveryReceipt, new DeliveryReceiptEmail(
                organizer.DisplayName, petition.Title, count, names, now, expires, DeliveriesUrl(petition)));
            db.OutboxMessages.Add(outbox.Create(EmailKind.DeliveryReceipt, organizerEmail, organizer.DisplayName, receipt));
        }

        notices.QueueDelivered(db, petition, delivery);

        await db.SaveChangesAsync(cancellationToken);
        await trees.StoreAsync(connection, npgsqlTransaction, delivery.Id, tree, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        LogDelivered(petition.Id, delivery.Id, delivery.Recipients.Count, count);
        return delivery;
    }

    /// <summary>Logs a download and sets the recipient's first download time once.</summary>
    public async Task RecordDownloadAsync(RecipientLink link, string format, string? ipAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var recipient = link.Recipient!;
        var now = clock.GetUtcNow();
        db.DownloadLogs.Add(new DownloadLog { DeliveryRecipientId = recipient.Id, Format = format, DownloadedAt = now, IpAddress = ipAddress });
        await db.SaveChangesAsync(cancellationToken);
        await db.DeliveryRecipients.Where(r => r.Id == recipient.Id && r.FirstDownloadedAt == null)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.FirstDownloadedAt, now), cancellationToken);
        LogDownload(link.Petition!.Id, link.Delivery!.Id, recipient.Id, format);
    }

    /// <summary>Publishes or replaces the recipient's response; supporters hear about the first one only.</summary>
    public async Task<bool> RespondAsync(RecipientLink link, ResponseForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(form);
        var recipient = link.Recipient!;
        var petition = link.Petition!;
        var text = form.Text!.Trim();
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        bool inserted;
        await using (var upsert = new NpgsqlCommand(PetitionSql.UpsertResponse, connection, (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            upsert.With(recipient.Id).With(petition.Id).With(text).With(form.Accepts).With(now);
            inserted = (bool)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        var owner = petition.OwnerId is null ? null : await users.FindByIdAsync(petition.OwnerId);
        if (owner?.Email is { } ownerEmail)
        {
            var email = await renderer.RenderAsync(EmailKind.DeliveryResponse, new DeliveryResponseEmail(
                owner.DisplayName, petition.Title, recipient.Name, recipient.TitleOrOrganization, text, form.Accepts, !inserted,
                PetitionUrl(petition), DeliveriesUrl(petition)));
            db.OutboxMessages.Add(outbox.Create(EmailKind.DeliveryResponse, ownerEmail, owner.DisplayName, email));
        }

        if (inserted)
        {
            notices.QueueResponse(db, petition, recipient, text, form.Accepts);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        LogResponded(petition.Id, recipient.Id, inserted);
        return inserted;
    }

    private DeliveryRecipientEmail RecipientEmail(Petition petition, string name, string coverMessage, int count, string link, string stopUrl,
        DateTimeOffset expires, bool attached) =>
        new(name, petition.Title, petition.StarterName, count, coverMessage.Trim(), petition.BodyLeadHtml + (petition.BodyMoreHtml ?? ""),
            petition.Body, PetitionUrl(petition), link, expires, attached, site.Value.Name, stopUrl);

    /// <summary>The petition's owner; an admin delivering someone's orphaned petition gets the receipt instead.</summary>
    private async Task<ApplicationUser?> OrganizerAsync(Petition petition, ClaimsPrincipal actor)
    {
        var owner = petition.OwnerId is null ? null : await users.FindByIdAsync(petition.OwnerId);
        return owner ?? await users.GetUserAsync(actor);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Petition {PetitionId} delivered as delivery {DeliveryId} to {RecipientCount} recipients with {SignatureCount} signatures")]
    private partial void LogDelivered(long petitionId, long deliveryId, int recipientCount, int signatureCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {RecipientId} of delivery {DeliveryId} (petition {PetitionId}) downloaded the {Format} list")]
    private partial void LogDownload(long petitionId, long deliveryId, long recipientId, string format);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {RecipientId} of petition {PetitionId} responded (first response: {First})")]
    private partial void LogResponded(long petitionId, long recipientId, bool first);
}
