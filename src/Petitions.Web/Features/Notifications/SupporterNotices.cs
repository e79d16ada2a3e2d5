using Microsoft.AspNetCore.DataProtection;
using Petitions.Web.Data;
using Petitions.Web.Domain;
using Petitions.Web.Email;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Notifications;

/// <summary>Starts a notice to a petition's opted-in supporters; NotificationWorker sends it in batches.</summary>
public sealed class SupporterNotices(TimeProvider clock)
{
    /// <summary>Queues what a lifecycle step of the petition returned, with that change.</summary>
    public NotificationJob Queue(PetitionsDbContext db, Petition petition, PetitionNotice notice) =>
        Queue(db, petition, notice.Kind, notice.Subject, notice.Heading, notice.Markdown);

    /// <summary>Adds the job to the caller's DbContext, so it commits with the change it announces.</summary>
    public NotificationJob Queue(PetitionsDbContext db, Petition petition, EmailKind kind, string subject, string heading, string markdown)
    {
        var job = new NotificationJob
        {
            PetitionId = petition.Id,
            Kind = kind.Name,
            Subject = Outbox.FitSubject(subject),
            BodyHtml = $"<h2>{System.Net.WebUtility.HtmlEncode(heading)}</h2>{PetitionText.ToSafeHtml(markdown)}",
            BodyText = heading + "\n\n" + markdown.Trim(),
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
    string? ReceiptUrl = null);
