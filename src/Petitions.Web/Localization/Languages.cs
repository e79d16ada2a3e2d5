using System.Globalization;
using FluentValidation;

namespace Petitions.Web.Localization;

/// <summary>Localization__Languages (comma-separated, such as "en,fa,fr") and Localization__Default.</summary>
public sealed class LanguageOptions
{
    public const string Section = "Localization";

    public string Languages { get; set; } = "en,fa,fr";
    public string Default { get; set; } = "en";

    public IReadOnlyList<string> List =>
        Languages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.ToLowerInvariant()).Distinct().ToList();
}

public sealed class LanguageOptionsValidator : AbstractValidator<LanguageOptions>
{
    public LanguageOptionsValidator()
    {
        RuleFor(o => o.Languages).Must(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(Language.IsKnownCulture))
            .WithMessage("Localization__Languages must be a comma-separated list of language codes, such as en,fa,fr");
        RuleFor(o => o.Default).Must((o, d) => o.List.Contains(d.Trim().ToLowerInvariant()))
            .WithMessage("Localization__Default must be one of Localization__Languages");
    }
}

/// <summary>One language of the site: its code in URLs, the culture its text and numbers use, and its direction.</summary>
public sealed record Language(string Code, CultureInfo Culture, CultureInfo UiCulture)
{
    // Formatting cultures: fa-IR brings Persian digits and the Solar Hijri calendar (PersianCalendar); en-GB writes
    // dates as "24 November 2026".
    private static readonly Dictionary<string, string> FormatCultures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en-GB",
        ["fa"] = "fa-IR",
        ["fr"] = "fr-FR",
        ["ar"] = "ar-SA",
        ["de"] = "de-DE",
        ["es"] = "es-ES",
    };

    public bool RightToLeft => UiCulture.TextInfo.IsRightToLeft;
    public string Dir => RightToLeft ? "rtl" : "ltr";

    /// <summary>The language's own name for itself, for the switcher.</summary>
    public string NativeName => UiCulture.TextInfo.ToTitleCase(UiCulture.NativeName);

    public static Language For(string code)
    {
        var ui = CultureInfo.GetCultureInfo(code);
        var culture = CultureInfo.GetCultureInfo(FormatCultures.TryGetValue(code, out var specific) ? specific : code);
        return new Language(code, culture, ui);
    }

    public static bool IsKnownCulture(string code)
    {
        try
        {
            return code.Length is >= 2 and <= 8 && CultureInfo.GetCultureInfo(code, predefinedOnly: true).Name.Length > 0;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>The configured languages, the first being the default.</summary>
public sealed class SiteLanguages
{
    public SiteLanguages(LanguageOptions options)
    {
        var list = options.List;
        var defaultCode = options.Default.Trim().ToLowerInvariant();
        All = list.OrderBy(c => c == defaultCode ? 0 : 1).Select(Language.For).ToList();
    }

    public IReadOnlyList<Language> All { get; }
    public Language Default => All[0];

    public Language? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(l => string.Equals(l.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when a root-relative path already starts with a language's prefix (other than the default's).</summary>
    public bool HasPrefix(string path) =>
        All.Skip(1).Any(l => path.Length > l.Code.Length && path[1..].StartsWith(l.Code, StringComparison.OrdinalIgnoreCase)
            && (path.Length == l.Code.Length + 1 || path[l.Code.Length + 1] is '/' or '?' or '#'));

    /// <summary>The path prefix of a language ("" for the default, "/fa" otherwise).</summary>
    public string Prefix(Language language) => language == Default ? "" : "/" + language.Code;
}
