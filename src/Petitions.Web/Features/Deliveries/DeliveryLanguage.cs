using System.Globalization;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// The delivery's language (the organizer's page language when delivering, stored on the delivery): the recipients'
/// email, the CSV's headings and the PDF's labels are written in it, whatever page the recipient downloads from.
/// </summary>
public sealed class DeliveryLanguage(Texts t, SiteLanguages languages)
{
    /// <summary>The current request's language, the one a delivery made now is stored with.</summary>
    public Language Current => languages.Find(CultureInfo.CurrentUICulture.Name) ?? languages.Default;

    public Language Of(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return languages.Find(delivery.Language) ?? languages.Default;
    }

    public IReadOnlyList<string> CsvHeader(Language language) => In(language, () => (IReadOnlyList<string>)
        [t["Name"], t["Postcode or city"], t["Country"], t["Signed at"], t["Reason"]]);

    public PdfLabels PdfLabels(Language language)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (language.Code == "en")
        {
            // The built-in labels are the English resources, with the country names the site's English list gives.
            return Deliveries.PdfLabels.English;
        }

        return In(language, () => new PdfLabels
        {
            RightToLeft = language.RightToLeft,
            DocumentTitle = t["Signatures: {0}"],
            CoverKicker = t["PETITION · DELIVERED {0}"],
            To = t["To: {0}"],
            ListSeparator = t["; "],
            StartedBy = t["Started by {0}"],
            DeliveredTo = t["Delivered to {0} on {1} through {2}."],
            RecipientWithTitle = t["{0}, {1}"],
            ConfirmedSignatures = count => In(language, () => t.Plural(count, "{0} confirmed signature", "{0} confirmed signatures")),
            FromCountries = t["From {0}: {1}{2}."],
            Countries = count => In(language, () => t.Plural(count, "{0} country", "{0} countries")),
            MoreCountries = count => In(language, () => t[" and {0} more", count]),
            Assurance = t["Every signature was confirmed by its signer through a link sent by email. The list includes people who asked not to be shown on the petition page, because their signatures count too. Email addresses are never shared."],
            MerkleRoot = t["Fingerprint of the delivered list (Merkle root, SHA-256), as published on the petition page. Each signer's receipt checks against it:"],
            OrganizerMessage = t["Message from the organizer"],
            ThePetition = t["The petition"],
            Online = t["Online: {0}"],
            Signatures = t["Signatures"],
            NameColumn = t["Name"],
            PlaceColumn = t["Postcode or city"],
            CountryColumn = t["Country"],
            SignedColumn = t["Signed"],
            ReasonColumn = t["Reason"],
            NoSignatures = t["No confirmed signatures yet."],
            PageOf = t["Page {0} of {1}"],
            FooterCaption = t["{0} · delivered {1}"],
            Number = value => In(language, () => Texts.Number(value)),
            LongDate = value => In(language, () => Texts.Date(value.ToUniversalTime())),
            ShortDate = value => In(language, () => Texts.Digits(value.ToString("d MMM yyyy", language.Culture))),
            Upper = value => value.ToUpper(language.Culture),
            CountryName = code => CountryNames.NameOf(code, language.UiCulture),
        });
    }

    private static T In<T>(Language language, Func<T> build) => InLanguage.Run(language, build);
}
