using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Admin;

/// <summary>
/// The operator pages' names for roles, audit actions and signature states, and their numbers and times, in the
/// page's language (Persian digits and calendar on /fa/).
/// </summary>
public static class AdminText
{
    public static string Role(Texts t, string role)
    {
        ArgumentNullException.ThrowIfNull(t);
        return role switch
        {
            AdminRoles.Admin => t["Admin"],
            AdminRoles.Moderator => t["Moderator"],
            _ => role,
        };
    }

    public static string Action(Texts t, AuditAction action)
    {
        ArgumentNullException.ThrowIfNull(t);
        return action switch
        {
            AuditAction.GrantRole => t["Grant a role"],
            AuditAction.RevokeRole => t["Revoke a role"],
            AuditAction.Approve => t["Approve a petition"],
            AuditAction.Reject => t["Reject a petition"],
            AuditAction.Hide => t["Hide a petition"],
            AuditAction.Restore => t["Restore a petition"],
            AuditAction.AutoHide => t["Hidden automatically after reports"],
            AuditAction.DismissReports => t["Dismiss reports"],
            AuditAction.HideSupporter => t["Hide a supporter"],
            AuditAction.ShowSupporter => t["Show a supporter again"],
            AuditAction.PauseSigning => t["Pause signing"],
            AuditAction.ResumeSigning => t["Resume signing"],
            AuditAction.AddBlock => t["Add a block"],
            AuditAction.RemoveBlock => t["Remove a block"],
            AuditAction.SearchSignatures => t["Search signatures"],
            AuditAction.InvalidateSignatures => t["Invalidate signatures"],
            AuditAction.UndoInvalidation => t["Undo an invalidation"],
            AuditAction.ProtectNewPetitions => t["Protect new petitions by default"],
            AuditAction.UnprotectNewPetitions => t["Stop protecting new petitions by default"],
            AuditAction.ReleaseFullList => t["Release a full list"],
            _ => action.ToString(),
        };
    }

    public static string State(Texts t, SignatureState state)
    {
        ArgumentNullException.ThrowIfNull(t);
        return state switch
        {
            SignatureState.Pending => t["pending"],
            SignatureState.Confirmed => t["confirmed, counting"],
            SignatureState.Invalidated => t["invalidated"],
            _ => t["withdrawn by the signer"],
        };
    }

    /// <summary>A row's number: the language's digits, no grouping (it is an identifier, not an amount).</summary>
    public static string Id(long id) => Texts.Digits(id.ToString(CultureInfo.InvariantCulture));

    /// <summary>A UTC time in the language's calendar and digits: "3 December 2026 07:30", «۱۲ آذر ۱۴۰۵ ۰۷:۳۰».</summary>
    public static string When(DateTimeOffset value, bool seconds = false) =>
        Texts.Digits(value.UtcDateTime.ToString(seconds ? "d MMMM yyyy HH:mm:ss" : "d MMMM yyyy HH:mm", CultureInfo.CurrentCulture));

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A translated text with HTML in its placeholders: the text is encoded, each {n} replaced by its (already safe)
    /// HTML, so data such as an address can be wrapped in &lt;bdi&gt; inside a Persian sentence.
    /// </summary>
    public static HtmlString Html(string translated, params IHtmlContent[] arguments)
    {
        ArgumentNullException.ThrowIfNull(translated);
        ArgumentNullException.ThrowIfNull(arguments);
        var html = WebUtility.HtmlEncode(translated);
        for (var i = 0; i < arguments.Length; i++)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            arguments[i].WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
            html = html.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", writer.ToString(), StringComparison.Ordinal);
        }

        return new HtmlString(html);
    }

    /// <summary>Left-to-right data (an address, a domain, an example) isolated inside a sentence of any direction.</summary>
    public static HtmlString Ltr(string value) => new($"<bdi dir=\"ltr\">{WebUtility.HtmlEncode(value)}</bdi>");

    /// <summary>
    /// Left-to-right data inside plain text (a validation message): on a right-to-left page, isolated with Unicode's
    /// LRI/PDI marks so "192.0.2.0/24" keeps its order inside a Persian sentence.
    /// </summary>
    public static string LtrText(string value) =>
        CultureInfo.CurrentUICulture.TextInfo.IsRightToLeft ? "\u2066" + value + "\u2069" : value;

    /// <summary>The line with its count wrapped in a span carrying <paramref name="dataCount"/> (which tests and scripts read).</summary>
    public static HtmlString Counted(string line, long value, string dataCount, string? cssClass = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        var number = Texts.Number(value);
        var at = line.IndexOf(number, StringComparison.Ordinal);
        var open = $"<span{(cssClass is null ? "" : $" class=\"{cssClass}\"")} data-count=\"{WebUtility.HtmlEncode(dataCount)}\">";
        return new(at < 0
            ? WebUtility.HtmlEncode(line)
            : WebUtility.HtmlEncode(line[..at]) + open + WebUtility.HtmlEncode(number) + "</span>" + WebUtility.HtmlEncode(line[(at + number.Length)..]));
    }
}
