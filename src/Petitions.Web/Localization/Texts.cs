using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;

namespace Petitions.Web.Localization;

/// <summary>The marker type of the site's one resource set: Localization/Strings.resx, Strings.fa.resx, Strings.fr.resx.</summary>
public sealed class Strings;

/// <summary>
/// The site's text in the current request's language (CultureInfo.CurrentUICulture), with numbers, dates and plurals
/// formatted for it. Keys are the English text; Strings.resx holds them all, each language's file translates them.
/// </summary>
public sealed class Texts(IStringLocalizer<Strings> localizer)
{
    public string this[string key] => localizer[key].Value;

    /// <summary>A text with placeholders; numbers among the arguments are written with the language's digits.</summary>
    public string this[string key, params object?[] arguments] =>
        string.Format(CultureInfo.CurrentCulture, localizer[key].Value, arguments.Select(Argument).ToArray());

    /// <summary>A text with placeholders as HTML: the text and plain arguments encoded, <see cref="Ltr"/> and other HTML arguments kept.</summary>
    public Microsoft.AspNetCore.Html.HtmlString Html(string key, params object?[] arguments) =>
        new(string.Format(CultureInfo.CurrentCulture, System.Net.WebUtility.HtmlEncode(localizer[key].Value), arguments.Select(a => a is Microsoft.AspNetCore.Html.HtmlString html
            ? html.Value
            : System.Net.WebUtility.HtmlEncode(Convert.ToString(Argument(a), CultureInfo.CurrentCulture))).ToArray()));

    /// <summary>"{0} supporter" or "{0} supporters" by the language's plural rules, with the number in its digits.</summary>
    public string Plural(long count, string one, string other) =>
        this[Plurals.IsOne(CultureInfo.CurrentUICulture, count) ? one : other, count];

    /// <summary>As <see cref="Plural(long, string, string)"/>, with more placeholders: {0} is the count, {1}… the arguments.</summary>
    public string PluralOf(long count, string one, string other, params object?[] arguments) =>
        this[Plurals.IsOne(CultureInfo.CurrentUICulture, count) ? one : other, [count, .. arguments]];

    public static string Number(long value) => Digits(value.ToString("N0", CultureInfo.CurrentCulture));

    /// <summary>
    /// The line HTML-encoded with its count wrapped in a tag ("<strong>2</strong> personnes ont signé."). The number is
    /// found in the plain text before encoding, so it never matches the digits of an entity such as &amp;#233;.
    /// </summary>
    public static Microsoft.AspNetCore.Html.HtmlString MarkNumber(string line, long value, string tag = "strong", string? cssClass = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        var number = Number(value);
        var at = line.IndexOf(number, StringComparison.Ordinal);
        static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
        var open = cssClass is null ? $"<{tag}>" : $"<{tag} class=\"{cssClass}\">";
        return new(at < 0 ? Encode(line) : Encode(line[..at]) + open + Encode(number) + $"</{tag}>" + Encode(line[(at + number.Length)..]));
    }

    /// <summary>Text that reads left to right (an email address, a link), isolated so a right-to-left sentence around it cannot reorder it.</summary>
    public static Microsoft.AspNetCore.Html.HtmlString Ltr(string text) => new($"<bdi dir=\"ltr\">{System.Net.WebUtility.HtmlEncode(text)}</bdi>");

    /// <summary>A date written out in full, in the language's calendar: "24 November 2026", «۳ آذر ۱۴۰۵».</summary>
    public static string Date(DateTimeOffset value) => Digits(value.ToString("d MMMM yyyy", CultureInfo.CurrentCulture));

    public static string Date(DateOnly value) => Date(new DateTimeOffset(value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    /// <summary>
    /// .NET formats with ASCII digits whatever the culture; languages written with their own digits (Persian ۱۲۳)
    /// get them substituted here.
    /// </summary>
    public static string Digits(string text)
    {
        var native = CultureInfo.CurrentCulture.NumberFormat.NativeDigits;
        if (native[0] == "0" || !UsesNativeDigits(CultureInfo.CurrentCulture))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= '0' and <= '9' ? native[c - '0'] : c.ToString());
        }

        return builder.ToString();
    }

    /// <summary>"12.5%", «۱۲٫۵٪»: a language written with its own digits has its own percent sign too.</summary>
    public static string Percent(double value) =>
        Digits(value.ToString("0.0", CultureInfo.CurrentCulture)) + (UsesNativeDigits(CultureInfo.CurrentCulture) ? "٪" : "%");

    private static bool UsesNativeDigits(CultureInfo culture) => culture.TwoLetterISOLanguageName is "fa" or "ps" or "ur";

    private static object? Argument(object? value) => value switch
    {
        int i => Number(i),
        long l => Number(l),
        DateTimeOffset d => Date(d),
        _ => value,
    };
}

/// <summary>Text made outside a request's language: an email or document in its reader's language.</summary>
public static class InLanguage
{
    /// <summary>Runs <paramref name="build"/> with the language's cultures, then puts the current ones back.</summary>
    public static T Run<T>(Language language, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(build);
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = language.Culture;
        CultureInfo.CurrentUICulture = language.UiCulture;
        try
        {
            return build();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}

/// <summary>CLDR's cardinal plural rule "one" for integers, per language; every other count is "other".</summary>
public static class Plurals
{
    public static bool IsOne(CultureInfo culture, long count) => culture.TwoLetterISOLanguageName switch
    {
        // French and Persian: 0 and 1 take the singular ("0 signataire", "۰ حامی").
        "fr" or "fa" or "hi" or "pt" => count is 0 or 1,
        "ja" or "zh" or "ko" or "th" or "vi" or "id" => false,
        _ => count == 1,
    };
}
