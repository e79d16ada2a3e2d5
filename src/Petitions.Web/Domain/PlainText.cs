using System.Text.RegularExpressions;

namespace Petitions.Web.Domain;

/// <summary>Typed text as plain text and Markdown: dates, numbers and names the same way in every email and PDF.</summary>
public static partial class PlainText
{
    /// <summary>Paragraphs (split at blank lines), each as its lines, for showing typed text with its breaks kept.</summary>
    public static IEnumerable<string[]> Paragraphs(string? text) =>
        (text ?? "").ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('\n', StringSplitOptions.TrimEntries));

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Signatures(int value) => value == 1 ? "1 signature" : Number(value) + " signatures";

    public static string NameAndTitle(string name, string? title) => string.IsNullOrWhiteSpace(title) ? name : $"{name}, {title}";

    /// <summary>Typed text made safe to embed in Markdown: the characters that would start formatting are escaped.</summary>
    public static string EscapeMarkdown(string text) => MarkdownSpecial().Replace(text ?? "", @"\$1");

    [GeneratedRegex(@"([\\`*_\[\]<>#|~])")]
    private static partial Regex MarkdownSpecial();
}
