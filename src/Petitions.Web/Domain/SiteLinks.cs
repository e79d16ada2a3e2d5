using Microsoft.Extensions.Options;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Domain;

/// <summary>
/// Every absolute URL the site hands out (emails, feeds, open data, share buttons): Site__BaseUrl without its trailing
/// slash, then the language's prefix (none for the default language), then the path. Slugs are escaped here, so a
/// link is the same wherever it is made. Tokens are URL-safe by construction and go in as they are.
/// </summary>
public sealed class SiteLinks(IOptions<SiteOptions> site, SiteLanguages languages)
{
    /// <summary>The site's address without a trailing slash, for what is the same in every language (ids, images, the sitemap).</summary>
    public string Origin { get; } = (site?.Value.BaseUrl ?? throw new ArgumentNullException(nameof(site))).TrimEnd('/');

    /// <summary>The site's address in <paramref name="language"/>, such as https://example.org/fa; null or the default language has no prefix.</summary>
    public string In(Language? language) => language is null ? Origin : Origin + languages.Prefix(language);

    /// <summary>The petition page's root-relative path, /p/{slug}.</summary>
    public static string PetitionPath(string slug) => "/p/" + Uri.EscapeDataString(slug);

    /// <summary>The organizer's page for the petition, /dashboard/p/{slug}.</summary>
    public static string DashboardPath(string slug) => "/dashboard/p/" + Uri.EscapeDataString(slug);

    public string Petition(string slug, Language? language = null) => In(language) + PetitionPath(slug);

    public string Dashboard(string slug, Language? language = null) => In(language) + DashboardPath(slug);

    public string Deliveries(string slug, Language? language = null) => Dashboard(slug, language) + "/deliveries";

    public string ConfirmSignature(string token, Language? language = null) => In(language) + "/s/confirm/" + token;

    public string Withdraw(string token, Language? language = null) => In(language) + "/s/withdraw/" + token;

    public string Unsubscribe(string token, Language? language = null) => In(language) + "/u/" + token;

    /// <summary>A delivery recipient's personal download link.</summary>
    public string Recipient(string token, Language? language = null) => In(language) + "/d/" + token;

    /// <summary>A delivery recipient's link to stop all email from the site.</summary>
    public string StopEmails(string token, Language? language = null) => In(language) + "/email/stop/" + token;

    public string MySignatures(string token, Language? language = null) => In(language) + "/my/open/" + token;

    /// <summary>
    /// The verify page with the receipt in its fragment (#receipt=…): browsers never send a fragment, so the name in
    /// it stays out of server and proxy logs.
    /// </summary>
    public string Receipt(MerkleReceipt receipt, Language? language = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return In(language) + "/verify#receipt=" + receipt.ToCompact();
    }

    public string ConfirmAccount(string userId, string code, Language? language = null) =>
        In(language) + "/account/confirm?userId=" + Uri.EscapeDataString(userId) + "&code=" + code;

    public string ResetPassword(string userId, string code, Language? language = null) =>
        In(language) + "/account/reset-password?userId=" + Uri.EscapeDataString(userId) + "&code=" + code;

    public string ForgotPassword(Language? language = null) => In(language) + "/account/forgot-password";
}
