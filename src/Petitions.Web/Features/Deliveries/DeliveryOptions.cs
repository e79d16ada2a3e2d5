using FluentValidation;

namespace Petitions.Web.Features.Deliveries;

public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>How long a recipient's download link works, from the delivery.</summary>
    public int LinkDays { get; set; } = 30;
}

public sealed class DeliveryOptionsValidator : AbstractValidator<DeliveryOptions>
{
    public DeliveryOptionsValidator() =>
        RuleFor(o => o.LinkDays).InclusiveBetween(1, 365).WithMessage("Delivery__LinkDays must be between 1 and 365");
}
