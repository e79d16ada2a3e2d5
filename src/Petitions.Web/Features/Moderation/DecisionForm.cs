using FluentValidation;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

public sealed class DecisionForm
{
    public string? Reason { get; set; }
    public string? Note { get; set; }

    public ModerationReason? ParsedReason =>
        !string.IsNullOrEmpty(Reason) && !char.IsDigit(Reason[0]) && Enum.TryParse<ModerationReason>(Reason, out var r) && Enum.IsDefined(r) ? r : null;
}

/// <summary>Rejecting or hiding needs a reason from the list; the note to the owner is optional.</summary>
public sealed class DecisionFormValidator : AbstractValidator<DecisionForm>
{
    public const int MaxNoteLength = 2000;

    public DecisionFormValidator(Texts t)
    {
        RuleFor(f => f.Reason).Must((form, _) => form.ParsedReason is not null).WithMessage(_ => t["Choose a reason"]);
        RuleFor(f => f.Note).MaximumLength(MaxNoteLength).WithMessage(_ => t["The note must be {0} characters or fewer", MaxNoteLength]);
        RuleFor(f => f.Note).Must(n => n is null || !n.Contains('\0', StringComparison.Ordinal)).WithMessage(_ => t["The note contains a character that is not allowed"]);
        RuleFor(f => f.Note).NotEmpty().When(f => f.ParsedReason == ModerationReason.Other).WithMessage(_ => t["Say what the other reason is"]);
    }
}
