using System.Text.RegularExpressions;

namespace Petitions.Web.Features.Deliveries;

/// <summary>The email each recipient gets: the petition, the organizer's message and their own download link.</summary>
public sealed record DeliveryRecipientEmail(
    string RecipientName,
    string PetitionTitle,
    string StarterName,
    int SignatureCount,
    string CoverMessage,
    string BodyHtml,
    string BodyMarkdown,
    string PetitionUrl,
    string LinkUrl,
    DateTimeOffset LinkExpiresAt,
    bool CsvAttached,
    string SiteName,
    string StopUrl);

/// <summary>The organizer's receipt for a delivery.</summary>
public sealed record DeliveryReceiptEmail(
    string OrganizerName,
    string PetitionTitle,
    int SignatureCount,
    IReadOnlyList<string> Recipients,
    DateTimeOffset DeliveredAt,
    DateTimeOffset LinksExpireAt,
    string DeliveriesUrl);

/// <summary>Tells the organizer that a recipient published (or changed) a response.</summary>
public sealed record DeliveryResponseEmail(
    string OrganizerName,
    string PetitionTitle,
    string RecipientName,
    string? RecipientTitle,
    string Text,
    bool AcceptsDemand,
    bool Updated,
    string PetitionUrl,
    string DeliveriesUrl);

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
