using FluentValidation;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Moderation;

public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    public ModerationMode Mode { get; set; } = ModerationMode.PostModeration;

    /// <summary>Distinct open reports that hide a petition until a moderator looks; 0 (the default) never hides.</summary>
    public int AutoHideReports { get; set; }
}

public sealed class ModerationOptionsValidator : AbstractValidator<ModerationOptions>
{
    public ModerationOptionsValidator()
    {
        RuleFor(o => o.Mode).IsInEnum().WithMessage("Moderation__Mode must be PostModeration or PreModeration");
        RuleFor(o => o.AutoHideReports).GreaterThanOrEqualTo(0).WithMessage("Moderation__AutoHideReports must be 0 (off) or a positive number of reports");
    }
}
