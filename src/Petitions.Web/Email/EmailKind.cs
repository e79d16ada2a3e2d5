namespace Petitions.Web.Email;

/// <summary>
/// Every kind of email the site sends: its name in outbox_messages.kind and notification_jobs.kind, and the pair of
/// Razor templates its body comes from (Templates/{Template}.cshtml and .Text.cshtml).
/// </summary>
public sealed record EmailKind(string Name, string Template)
{
    public static readonly EmailKind ConfirmSignature = new("confirm-signature", "ConfirmSignature");
    public static readonly EmailKind AlreadySigned = new("already-signed", "AlreadySigned");

    public static readonly EmailKind ConfirmAccount = new("confirm-account", "ConfirmAccount");
    public static readonly EmailKind ResetPassword = new("reset-password", "ResetPassword");
    public static readonly EmailKind AccountExists = new("account-exists", "AccountExists");

    public static readonly EmailKind Delivery = new("delivery", "DeliveryRecipient");
    public static readonly EmailKind DeliveryReceipt = new("delivery-receipt", "DeliveryReceipt");
    public static readonly EmailKind DeliveryResponse = new("delivery-response", "DeliveryResponse");
    public static readonly EmailKind FullListRequested = new("full-list-requested", "FullListRequested");
    public static readonly EmailKind FullListReleased = new("full-list-released", "FullListReleased");

    public static readonly EmailKind ModerationDecision = new("moderation-decision", "ModerationDecision");

    public static readonly EmailKind MySignaturesLink = new("my-signatures-link", "MySignaturesLink");

    // Notices to a petition's supporters, sent in batches by NotificationWorker through one template.
    public static readonly EmailKind PetitionUpdate = Notice("petition-update");
    public static readonly EmailKind PetitionClosed = Notice("petition-closed");
    public static readonly EmailKind PetitionVictory = Notice("petition-victory");
    public static readonly EmailKind PetitionDelivered = Notice("petition-delivered");
    public static readonly EmailKind PetitionResponse = Notice("petition-response");

    public const string NoticeTemplate = "SupporterNotice";

    public static IReadOnlyList<EmailKind> All { get; } =
    [
        ConfirmSignature, AlreadySigned, ConfirmAccount, ResetPassword, AccountExists, Delivery, DeliveryReceipt, DeliveryResponse, ModerationDecision, MySignaturesLink,
        PetitionUpdate, PetitionClosed, PetitionVictory, PetitionDelivered, PetitionResponse, FullListRequested, FullListReleased,
    ];

    public bool IsNotice => Template == NoticeTemplate;

    /// <summary>The kind stored under <paramref name="name"/>; a notice job's row names its kind.</summary>
    public static EmailKind Parse(string name) =>
        All.FirstOrDefault(k => k.Name == name) ?? throw new ArgumentException($"Unknown email kind {name}", nameof(name));

    public override string ToString() => Name;

    private static EmailKind Notice(string name) => new(name, NoticeTemplate);
}
