using Microsoft.AspNetCore.DataProtection;
using Petitions.Web.Data;
using Petitions.Web.Domain;
using Petitions.Web.Email;

namespace Petitions.Web.Features.Notifications;

/// <summary>
/// Starts a notice to a petition's opted-in supporters; NotificationWorker sends it in batches. The job holds the
/// notice's kind and arguments, in no language: each email is composed when it is rendered (SupporterNoticeText).
/// </summary>
public sealed class SupporterNotices(TimeProvider clock)
{
    /// <summary>Queues what a lifecycle step of the petition returned, with that change.</summary>
    public NotificationJob Queue(PetitionsDbContext db, Petition petition, PetitionNotice notice) =>
        Queue(db, petition, notice.Kind, notice.Arguments);

    /// <summary>
    /// The update just added to <paramref name="db"/> (saved with this job), found among the added entities by its
    /// title and text, so the notice can use the update's translations.
    /// </summary>
    public NotificationJob QueueUpdate(PetitionsDbContext db, Petition petition, string title, string markdown)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(petition);
        var update = db.ChangeTracker.Entries<PetitionUpdate>()
            .Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added)
            .Select(e => e.Entity)
            .Last(u => u.PetitionId == petition.Id && u.Title == title && u.Body == markdown);
        return QueueUpdate(db, petition, update);
    }

    public NotificationJob QueueUpdate(PetitionsDbContext db, Petition petition, PetitionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var job = Queue(db, petition, EmailKind.PetitionUpdate, new NoticeArguments { Title = update.Title, Markdown = update.Body });
        if (update.Id == 0)
        {
            job.Update = update;
        }
        else
        {
            job.UpdateId = update.Id;
        }

        return job;
    }

    public NotificationJob QueueDelivered(PetitionsDbContext db, Petition petition, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(petition);
        ArgumentNullException.ThrowIfNull(delivery);
        return Queue(db, petition, EmailKind.PetitionDelivered, new NoticeArguments
        {
            DeliveredAt = delivery.DeliveredAt,
            StarterName = petition.StarterName,
            SignatureCount = delivery.SignatureCount,
            Recipients = delivery.Recipients.ConvertAll(r => new NoticePerson(r.Name, r.TitleOrOrganization)),
        });
    }

    public NotificationJob QueueResponse(PetitionsDbContext db, Petition petition, DeliveryRecipient recipient, string text, bool accepts)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return Queue(db, petition, EmailKind.PetitionResponse, new NoticeArguments
        {
            Responder = new NoticePerson(recipient.Name, recipient.TitleOrOrganization),
            Accepts = accepts,
            ResponseText = text,
        });
    }

    /// <summary>Adds the job to the caller's DbContext, so it commits with the change it announces.</summary>
    private NotificationJob Queue(PetitionsDbContext db, Petition petition, EmailKind kind, NoticeArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(petition);
        var job = new NotificationJob
        {
            PetitionId = petition.Id,
            Kind = kind.Name,
            Arguments = arguments.ToJson(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.NotificationJobs.Add(job);
        return job;
    }
}

/// <summary>Signed, unguessable unsubscribe links that need no storage and no login.</summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("Petitions.Unsubscribe.v1");

    public string Create(long signatureId) => protector.ProtectToken(BitConverter.GetBytes(signatureId));

    public long? Read(string? token) =>
        protector.UnprotectToken(token) is { Length: sizeof(long) } bytes ? BitConverter.ToInt64(bytes) : null;
}

public sealed record SupporterNoticeEmail(string Name, string PetitionTitle, string PetitionUrl, string BodyHtml, string BodyText, string UnsubscribeUrl, string WithdrawUrl,
    string? ReceiptUrl = null, string? Subject = null);
