using FluentValidation;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Reporting;

public sealed class ReportForm
{
    public string? Reason { get; set; }
    public string? Details { get; set; }
    public string? Email { get; set; }

    // Honeypot: hidden from people, filled in by naive bots.
    public string? Website { get; set; }

    public ModerationReason? ParsedReason => new Moderation.DecisionForm { Reason = Reason }.ParsedReason;
}

public sealed class ReportFormValidator : AbstractValidator<ReportForm>
{
    public const int MaxDetailsLength = 2000;

    public ReportFormValidator(Localization.Texts t)
    {
        RuleFor(f => f.Reason).Must((form, _) => form.ParsedReason is not null).WithMessage(_ => t["Choose why you are reporting this petition"]);
        RuleFor(f => f.Details).MaximumLength(MaxDetailsLength).WithMessage(_ => t["Details must be {0} characters or fewer", MaxDetailsLength]);
        RuleFor(f => f.Details).Must(d => d is null || !d.Contains('\0', StringComparison.Ordinal)).WithMessage(_ => t["Details contain a character that is not allowed"]);
        RuleFor(f => f.Email).MaximumLength(254).WithMessage(_ => t["Email address must be 254 characters or fewer"])
            .EmailAddress().WithMessage(_ => t["Enter an email address in the correct format, like name@example.com"])
            .When(f => !string.IsNullOrWhiteSpace(f.Email));
    }
}
