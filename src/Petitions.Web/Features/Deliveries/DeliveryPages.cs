using Petitions.Web.Data;

namespace Petitions.Web.Features.Deliveries;

public sealed record EmailPreview(string Subject, string BodyHtml, bool CsvAttached);

/// <summary>The deliver form, and its preview step.</summary>
public sealed record DeliverPage
{
    /// <summary>The ModelState key (and element id) of the reason the petition cannot be delivered now.</summary>
    public const string RefusalKey = "Delivery";

    public required Petition Petition { get; init; }
    public required DeliverForm Form { get; init; }
    public int ConfirmedCount { get; init; }
    public int LinkDays { get; init; }
    public required DeliveryAllowance Allowance { get; init; }

    /// <summary>Decision makers whose address on the form gets no deliveries: they are skipped.</summary>
    public IReadOnlySet<long> Suppressed { get; init; } = new HashSet<long>();

    public EmailPreview? Preview { get; init; }

    public bool CanDeliver => DeliveryHandler.CanDeliver(Petition);

    public IEnumerable<RecipientChoice> Sendable => Form.Picked.Where(r => !Suppressed.Contains(r.DecisionMakerId));

    public IEnumerable<RecipientChoice> Skipped => Form.Picked.Where(r => Suppressed.Contains(r.DecisionMakerId));
}

public sealed record RecipientRow(DeliveryRecipient Recipient, RecipientResponse? Response, int Downloads);

public sealed record DeliveryRow(Delivery Delivery, IReadOnlyList<RecipientRow> Recipients);

public sealed class DeliveriesPage
{
    public required Petition Petition { get; init; }
    public required IReadOnlyList<DeliveryRow> Deliveries { get; init; }
    public long? JustDelivered { get; init; }
    public DateTimeOffset Now { get; init; }

    /// <summary>Only the petition's owner may release a sealed full list (not an admin managing it).</summary>
    public bool IsOwner { get; init; }
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

    /// <summary>The recipient has just asked for the full list.</summary>
    public bool JustAsked { get; set; }

    /// <summary>The lists hold initials and country only, and the full list can be asked for.</summary>
    public bool Sealed => FullListRequests.IsSealed(Petition, Delivery);

    /// <summary>The organizer released the full list of this delivery made as initials only.</summary>
    public bool FullListReleased => Delivery.FullListReleasedAt is not null && FullListRequests.DeliversInitialsOnly(Petition);

    public string BaseLink => $"/d/{Token}";
}
