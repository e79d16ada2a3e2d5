namespace Petitions.Web.Features.Deliveries;

/// <summary>The email each recipient gets: the petition, the organizer's message and their own download link.</summary>
public sealed record DeliveryRecipientEmail(
    string RecipientName,
    string PetitionTitle,
    string StarterName,
    int SignatureCount,
    string CoverMessage,
    string BodyHtml,
    string BodyMarkdown,
    string PetitionUrl,
    string LinkUrl,
    DateTimeOffset LinkExpiresAt,
    bool CsvAttached,
    string SiteName,
    string StopUrl);

/// <summary>The organizer's receipt for a delivery.</summary>
public sealed record DeliveryReceiptEmail(
    string OrganizerName,
    string PetitionTitle,
    int SignatureCount,
    IReadOnlyList<string> Recipients,
    DateTimeOffset DeliveredAt,
    DateTimeOffset LinksExpireAt,
    string DeliveriesUrl);

/// <summary>Tells the organizer that a recipient published (or changed) a response.</summary>
public sealed record DeliveryResponseEmail(
    string OrganizerName,
    string PetitionTitle,
    string RecipientName,
    string? RecipientTitle,
    string Text,
    bool AcceptsDemand,
    bool Updated,
    string PetitionUrl,
    string DeliveriesUrl);
