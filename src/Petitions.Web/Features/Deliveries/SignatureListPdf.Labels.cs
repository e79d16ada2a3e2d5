using System.Globalization;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// Every word of the delivered PDF that is not the petition's or a signer's own, and how it writes numbers, dates and
/// country names: the cover's texts, the column headings and "Page N of M". <see cref="English"/> is what the PDF says
/// unless <see cref="PdfCover.Labels"/> gives another language; a language written right to left sets
/// <see cref="RightToLeft"/>, which also lays the table out from the right. Texts with placeholders are composite
/// format strings; the ones whose wording changes with a number are functions, so each language applies its own
/// plural rules.
/// </summary>
public sealed record PdfLabels
{
    public static PdfLabels English { get; } = new();

    /// <summary>The language of the labels is written right to left: the table's columns run from the right.</summary>
    public bool RightToLeft { get; init; }

    /// <summary>"Signatures: {0}", the document's title; {0} is the petition's title.</summary>
    public string DocumentTitle { get; init; } = "Signatures: {0}";

    /// <summary>The line above the petition's title; {0} is the delivery's date.</summary>
    public string CoverKicker { get; init; } = "PETITION · DELIVERED {0}";

    /// <summary>{0} is the petition's decision makers, each "name, title" and joined by <see cref="ListSeparator"/>.</summary>
    public string To { get; init; } = "To: {0}";

    public string ListSeparator { get; init; } = "; ";

    /// <summary>{0} is the organizer's name.</summary>
    public string StartedBy { get; init; } = "Started by {0}";

    /// <summary>{0} is the recipient, {1} the date, {2} the site's name.</summary>
    public string DeliveredTo { get; init; } = "Delivered to {0} on {1} through {2}.";

    /// <summary>{0} is the recipient's name, {1} their title or organization.</summary>
    public string RecipientWithTitle { get; init; } = "{0}, {1}";

    /// <summary>The total on the cover, from the number of signatures.</summary>
    public Func<int, string> ConfirmedSignatures { get; init; } = count =>
        count == 1 ? "1 confirmed signature" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} confirmed signatures");

    /// <summary>{0} is <see cref="Countries"/>, {1} the first countries with their counts, {2} <see cref="MoreCountries"/> or "".</summary>
    public string FromCountries { get; init; } = "From {0}: {1}{2}.";

    public Func<int, string> Countries { get; init; } = count =>
        count == 1 ? "1 country" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} countries");

    /// <summary>After the first ten countries, from how many more there are.</summary>
    public Func<int, string> MoreCountries { get; init; } = count => string.Create(CultureInfo.InvariantCulture, $" and {count:N0} more");

    /// <summary>{0} is a country's name, {1} its number of signatures.</summary>
    public string CountryCount { get; init; } = "{0} {1}";

    public string CountrySeparator { get; init; } = " · ";

    public string Assurance { get; init; } =
        "Every signature was confirmed by its signer through a link sent by email. The list includes people who asked not to be " +
        "shown on the petition page, because their signatures count too. Email addresses are never shared.";

    /// <summary>Above the delivery's Merkle root (docs/receipts.md).</summary>
    public string MerkleRoot { get; init; } =
        "Fingerprint of the delivered list (Merkle root, SHA-256), as published on the petition page. Each signer's receipt checks against it:";

    public string OrganizerMessage { get; init; } = "Message from the organizer";

    public string ThePetition { get; init; } = "The petition";

    /// <summary>{0} is the petition's address.</summary>
    public string Online { get; init; } = "Online: {0}";

    /// <summary>At the top right of each page of the table.</summary>
    public string Signatures { get; init; } = "Signatures";

    public string NumberColumn { get; init; } = "#";

    public string NameColumn { get; init; } = "Name";

    public string PlaceColumn { get; init; } = "Postcode or city";

    public string CountryColumn { get; init; } = "Country";

    public string SignedColumn { get; init; } = "Signed";

    public string ReasonColumn { get; init; } = "Reason";

    public string NoSignatures { get; init; } = "No confirmed signatures yet.";

    /// <summary>{0} is the page's number, {1} the number of pages, both written by <see cref="Number"/>.</summary>
    public string PageOf { get; init; } = "Page {0} of {1}";

    /// <summary>At the foot of each page: {0} is the petition's title, {1} the delivery's date.</summary>
    public string FooterCaption { get; init; } = "{0} · delivered {1}";

    public Func<long, string> Number { get; init; } = value => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The delivery's date, in words.</summary>
    public Func<DateTimeOffset, string> LongDate { get; init; } =
        value => value.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The day a signature was made, in the table's narrow column.</summary>
    public Func<DateTime, string> ShortDate { get; init; } = value => value.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Upper case for <see cref="CoverKicker"/>'s date, in the labels' language.</summary>
    public Func<string, string> Upper { get; init; } = value => value.ToUpperInvariant();

    /// <summary>A country's name from its ISO 3166 code.</summary>
    public Func<string, string> CountryName { get; init; } = Domain.Countries.NameOf;

    internal static string Format(string template, params object?[] values) => string.Format(CultureInfo.InvariantCulture, template, values);
}
