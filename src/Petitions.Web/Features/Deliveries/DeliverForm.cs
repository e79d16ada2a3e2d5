using FluentValidation;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

/// <summary>One decision maker on the deliver form: whether to deliver to them, and the address to use.</summary>
public sealed class RecipientChoice
{
    public long DecisionMakerId { get; set; }
    public bool Selected { get; set; }
    public string? Email { get; set; }

    // Filled in from the database, never from the post.
    public string Name { get; set; } = "";
    public string? TitleOrOrganization { get; set; }

    public string? TrimmedEmail => string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
}

public sealed class DeliverForm
{
    public const int MaxCoverMessage = 5_000;

    public List<RecipientChoice> Recipients { get; set; } = [];
    public string? CoverMessage { get; set; }

    public IEnumerable<RecipientChoice> Picked => Recipients.Where(r => r.Selected);
}

public sealed class DeliverFormValidator : AbstractValidator<DeliverForm>
{
    public DeliverFormValidator(Localization.Texts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        RuleFor(f => f.Recipients)
            .Must(list => list.Any(r => r.Selected))
            .WithMessage(_ => t["Select at least one decision maker to deliver the petition to"]);
        RuleForEach(f => f.Recipients).ChildRules(r =>
        {
            r.RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
                .Must(v => !string.IsNullOrWhiteSpace(v))
                .WithMessage(x => t["Enter an email address for {0}: the petition is delivered by email", x.Name])
                .Must(v => EmailAddresses.IsWellFormed(v!.Trim()))
                .WithMessage(x => t["Enter {0}'s email address in the correct format, like name@example.com", x.Name])
                .When(x => x.Selected);
        });
        RuleFor(f => f.CoverMessage).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Write a cover message to the decision makers"])
            .Must(v => v!.Length <= DeliverForm.MaxCoverMessage).WithMessage(_ => t["The cover message must be 5,000 characters or fewer"]);
    }
}

public sealed class ResponseForm
{
    public const int MaxText = 5_000;

    public string? Text { get; set; }

    /// <summary>"yes" or "no", from the radio buttons.</summary>
    public string? AcceptsDemand { get; set; }

    public bool Accepts => AcceptsDemand == "yes";
}

public sealed class ResponseFormValidator : AbstractValidator<ResponseForm>
{
    public ResponseFormValidator(Localization.Texts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        RuleFor(f => f.AcceptsDemand)
            .Must(v => v is "yes" or "no").WithMessage(_ => t["Select whether you accept the petition's demand"]);
        RuleFor(f => f.Text).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your response"])
            .Must(v => v!.Length <= ResponseForm.MaxText).WithMessage(_ => t["Your response must be 5,000 characters or fewer"])
            // Plain text here, but quoted as Markdown in the notice to supporters.
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["Your response has lines nested too deeply (such as - - - at the start of a line). Use fewer levels"]);
    }
}
