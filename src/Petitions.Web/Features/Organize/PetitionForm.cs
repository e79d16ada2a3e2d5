using FluentValidation;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Organize;

public sealed class DecisionMakerInput
{
    public string? Name { get; set; }
    public string? TitleOrOrganization { get; set; }
    public string? Email { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(TitleOrOrganization) && string.IsNullOrWhiteSpace(Email);
}

public sealed class PetitionForm
{
    public const int MaxDecisionMakers = 20;

    public string? Title { get; set; }
    public string? Body { get; set; }
    public List<DecisionMakerInput> DecisionMakers { get; set; } = [new()];
    public string? StarterName { get; set; }
    public string? Category { get; set; }
    public string GoalMode { get; set; } = "automatic";
    public string? Goal { get; set; }
    public string? ClosesOn { get; set; }

    // Protected mode (see ProtectedFields); chosen before publishing, fixed afterwards.
    public bool Protected { get; set; }
    public bool DeliverInitialsOnly { get; set; }

    /// <summary>The language the petition is written in (a site language code); the page's language when starting.</summary>
    public string? Language { get; set; }

    // Only when starting: the starter's own signature needs these, like every other signature.
    public string? StarterCountry { get; set; }
    public string? StarterPostcodeOrCity { get; set; }

    public bool IsAutomaticGoal => GoalMode != "fixed";

    public int? GoalNumber => int.TryParse(Goal?.Replace(",", "", StringComparison.Ordinal).Trim(), out var g) ? g : null;

    public DateOnly? ClosesOnDate =>
        DateOnly.TryParseExact(ClosesOn?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
}

public static class Categories
{
    public static readonly IReadOnlyList<string> All =
    [
        "Animals", "Economy", "Education", "Environment", "Health", "Housing", "Human rights", "Justice",
        "Local community", "Politics", "Technology", "Transport", "Other",
    ];
}

public sealed class PetitionFormValidator : AbstractValidator<PetitionForm>
{
    public PetitionFormValidator(TimeProvider clock, Texts t, SiteLanguages languages)
    {
        RuleFor(f => f.Language).Must(v => v is null || languages.Find(v) is not null).WithMessage(_ => t["Select the language the petition is written in"]);
        RuleFor(f => f.Title).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter a title for your petition"])
            .Must(v => v!.Trim().Length <= 120).WithMessage(_ => t["Title must be 120 characters or fewer"]);
        RuleFor(f => f.Body).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter what you are asking for and why"])
            .Must(v => v!.Length <= 10_000).WithMessage(_ => t["The petition text must be 10,000 characters or fewer"])
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["The petition text has lists or quotes nested too deeply. Use fewer levels"]);
        RuleFor(f => f.DecisionMakers)
            .Must(list => list.Any(d => !d.IsBlank)).WithMessage(_ => t["Enter at least one decision maker"])
            .Must(list => list.Count <= PetitionForm.MaxDecisionMakers).WithMessage(_ => t["Enter {0} decision makers or fewer", PetitionForm.MaxDecisionMakers]);
        RuleForEach(f => f.DecisionMakers).ChildRules(d =>
        {
            d.RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
                .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the decision maker's name"])
                .Must(v => v!.Trim().Length <= 200).WithMessage(_ => t["Decision maker's name must be 200 characters or fewer"])
                .When(x => !x.IsBlank);
            d.RuleFor(x => x.TitleOrOrganization).Must(v => v is null || v.Trim().Length <= 200)
                .WithMessage(_ => t["Title or organization must be 200 characters or fewer"]);
            d.RuleFor(x => x.Email).Must(v => string.IsNullOrWhiteSpace(v) || EmailAddresses.IsWellFormed(v.Trim()))
                .WithMessage(_ => t["Enter the decision maker's email address in the correct format, like name@example.com"]);
        }).When(f => f.DecisionMakers.Any(d => !d.IsBlank)).OverridePropertyName("DecisionMakers");
        RuleFor(f => f.StarterName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the name the petition is started by"])
            .Must(v => v!.Trim().Length <= 200).WithMessage(_ => t["Starter name must be 200 characters or fewer"]);
        RuleFor(f => f.Category).Must(v => v is not null && Categories.All.Contains(v)).WithMessage(_ => t["Select a category"]);
        RuleFor(f => f.Goal).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter a signature goal, or choose an automatic goal"])
            .Must((f, _) => f.GoalNumber is not null).WithMessage(_ => t["Signature goal must be a whole number, like 1000"])
            .Must((f, _) => f.GoalNumber is >= 10 and <= 100_000_000).WithMessage(_ => t["Signature goal must be between 10 and 100,000,000"])
            .When(f => !f.IsAutomaticGoal);
        RuleFor(f => f.ClosesOn).Cascade(CascadeMode.Stop)
            .Must((f, _) => f.ClosesOnDate is not null).WithMessage(_ => t["Closing date must be a real date, like 2027-03-31"])
            .Must((f, _) => f.ClosesOnDate > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage(_ => t["Closing date must be in the future"])
            .Must((f, _) => f.ClosesOnDate <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddYears(2))).WithMessage(_ => t["Closing date must be within 2 years"])
            .When(f => !string.IsNullOrWhiteSpace(f.ClosesOn));
    }
}

/// <summary>Starting also needs the starter's own signature details.</summary>
public sealed class StartPetitionFormValidator : AbstractValidator<PetitionForm>
{
    public StartPetitionFormValidator(PetitionFormValidator common, Texts t)
    {
        Include(common);
        RuleFor(f => f.StarterCountry).Must(Countries.IsValid).WithMessage(_ => t["Select your country"]);
        RuleFor(f => f.StarterPostcodeOrCity).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your postcode or city"])
            .Must(v => v!.Trim().Length <= 100).WithMessage(_ => t["Postcode or city must be 100 characters or fewer"]);
    }
}

public sealed class MessageForm
{
    public string? Title { get; set; }
    public string? Message { get; set; }
}

public sealed class UpdateFormValidator : AbstractValidator<MessageForm>
{
    public UpdateFormValidator(Texts t)
    {
        RuleFor(f => f.Title).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter a title for the update"])
            .Must(v => v!.Trim().Length <= 150).WithMessage(_ => t["Title must be 150 characters or fewer"]);
        RuleFor(f => f.Message).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the update"])
            .Must(v => v!.Length <= 10_000).WithMessage(_ => t["The update must be 10,000 characters or fewer"])
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["The update has lists or quotes nested too deeply. Use fewer levels"]);
    }
}

public sealed class OutcomeMessageValidator : AbstractValidator<MessageForm>
{
    public OutcomeMessageValidator(Texts t) =>
        RuleFor(f => f.Message).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter a message for your supporters"])
            .Must(v => v!.Length <= 5_000).WithMessage(_ => t["The message must be 5,000 characters or fewer"])
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["The message has lists or quotes nested too deeply. Use fewer levels"]);
}
