using Petitions.Web.Data;

namespace Petitions.Web.Features.Deliveries;

public sealed record EmailPreview(string Subject, string BodyHtml, bool CsvAttached);

/// <summary>The deliver form, and its preview step.</summary>
public sealed class DeliverPage
{
    public required Petition Petition { get; init; }
    public required DeliverForm Form { get; init; }
    public int ConfirmedCount { get; init; }
    public int LinkDays { get; init; }
    public EmailPreview? Preview { get; init; }

    public bool CanDeliver => DeliveryHandler.CanDeliver(Petition);
}

public sealed record RecipientRow(DeliveryRecipient Recipient, RecipientResponse? Response, int Downloads);

public sealed record DeliveryRow(Delivery Delivery, IReadOnlyList<RecipientRow> Recipients);

public sealed class DeliveriesPage
{
    public required Petition Petition { get; init; }
    public required IReadOnlyList<DeliveryRow> Deliveries { get; init; }
    public long? JustDelivered { get; init; }
    public DateTimeOffset Now { get; init; }
}

/// <summary>What a recipient sees behind their link.</summary>
public sealed class RecipientPage
{
    public required string Token { get; init; }
    public required Petition Petition { get; init; }
    public required Delivery Delivery { get; init; }
    public required DeliveryRecipient Recipient { get; init; }
    public RecipientResponse? Response { get; init; }
    public ResponseForm Form { get; init; } = new();
    public bool JustResponded { get; init; }

    public string BaseLink => $"/d/{Token}";
}
