using FluentValidation;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Translations;

public sealed class TranslationForm
{
    public string? Title { get; set; }
    public string? Body { get; set; }
}

/// <summary>The same limits as the petition's own title and text.</summary>
public sealed class TranslationFormValidator : AbstractValidator<TranslationForm>
{
    public TranslationFormValidator(Texts t)
    {
        RuleFor(f => f.Title).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the translated title"])
            .Must(v => v!.Trim().Length <= 120).WithMessage(_ => t["Title must be 120 characters or fewer"]);
        RuleFor(f => f.Body).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the translated text"])
            .Must(v => v!.Length <= 10_000).WithMessage(_ => t["The petition text must be 10,000 characters or fewer"])
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["The petition text has lists or quotes nested too deeply. Use fewer levels"]);
    }
}

/// <summary>An update's translations: the same limits as the update's own title and text.</summary>
public sealed class UpdateTranslationFormValidator : AbstractValidator<TranslationForm>
{
    public UpdateTranslationFormValidator(Texts t)
    {
        RuleFor(f => f.Title).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the translated title"])
            .Must(v => v!.Trim().Length <= 150).WithMessage(_ => t["Title must be 150 characters or fewer"]);
        RuleFor(f => f.Body).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter the translated text"])
            .Must(v => v!.Length <= 10_000).WithMessage(_ => t["The update must be 10,000 characters or fewer"])
            .Must(PetitionText.NestsWithinLimit).WithMessage(_ => t["The update has lists or quotes nested too deeply. Use fewer levels"]);
    }
}

public sealed record TranslationRow(Language Language, Data.PetitionTranslation? Translation);

public sealed record TranslationsPageModel(Data.Petition Petition, Language Original, IReadOnlyList<TranslationRow> Rows)
{
    /// <summary>The petition's updates, newest first, each with its translations by language.</summary>
    public IReadOnlyList<UpdateTranslationsRow> Updates { get; init; } = [];
}

public sealed record UpdateTranslationsRow(Data.PetitionUpdate Update, IReadOnlyDictionary<string, Data.PetitionUpdateTranslation> Translations);

public sealed record UpdateTranslationEditModel(Data.Petition Petition, Data.PetitionUpdate Update, Language Original, Language Target, bool Exists, TranslationForm Form);

public sealed record TranslationEditModel(Data.Petition Petition, Language Original, Language Target, bool Exists, TranslationForm Form);

public static class TranslationServices
{
    public static IServiceCollection AddTranslations(this IServiceCollection services)
    {
        services.AddSingleton<TranslationFormValidator>();
        services.AddSingleton<UpdateTranslationFormValidator>();
        services.AddScoped<TranslatedTitles>();
        return services;
    }
}
