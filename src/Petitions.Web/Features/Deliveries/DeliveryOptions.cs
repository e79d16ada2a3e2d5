using FluentValidation;

namespace Petitions.Web.Features.Deliveries;

public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>How long a recipient's download link works, from the delivery.</summary>
    public int LinkDays { get; set; } = 30;

    /// <summary>Confirmed signatures a petition needs before it can be delivered, so delivery is no way to mail strangers.</summary>
    public int MinimumSignatures { get; set; } = 5;

    /// <summary>Deliveries one organizer can make in any 24 hours.</summary>
    public int MaxPerOrganizerPerDay { get; set; } = 3;
}

public sealed class DeliveryOptionsValidator : AbstractValidator<DeliveryOptions>
{
    public DeliveryOptionsValidator()
    {
        RuleFor(o => o.LinkDays).InclusiveBetween(1, 365).WithMessage("Delivery__LinkDays must be between 1 and 365");
        RuleFor(o => o.MinimumSignatures).InclusiveBetween(0, 1_000_000).WithMessage("Delivery__MinimumSignatures must be between 0 and 1000000");
        RuleFor(o => o.MaxPerOrganizerPerDay).InclusiveBetween(1, 1000).WithMessage("Delivery__MaxPerOrganizerPerDay must be between 1 and 1000");
    }
}
