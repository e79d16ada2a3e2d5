using System.Net;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Deliveries;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Notifications;

/// <summary>A notice's subject, heading and body (Markdown), in one language.</summary>
public sealed record NoticeText(string Subject, string Heading, string Markdown)
{
    public string BodyHtml => $"<h2>{WebUtility.HtmlEncode(Heading)}</h2>{PetitionText.ToSafeHtml(Markdown)}";

    public string BodyText => Heading + "\n\n" + Markdown.Trim();
}

/// <summary>
/// Composes a notice from its job's arguments in the current culture (the signer's language, set by the worker): every
/// sentence of the site's comes from the resources, and what people wrote stays as written, unless the organizer
/// translated it (an update's translation).
/// </summary>
public static class SupporterNoticeText
{
    /// <param name="petitionTitle">The petition's title in the signer's language (its translation when there is one).</param>
    /// <param name="update">The update's translation into the signer's language, if there is one.</param>
    public static NoticeText Compose(Texts t, EmailKind kind, NoticeArguments arguments, string petitionTitle, PetitionUpdateTranslation? update = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(arguments);
        if (kind == EmailKind.PetitionUpdate)
        {
            return new(t["Update: {0}", petitionTitle], update?.Title ?? arguments.Title ?? "", update?.Body ?? arguments.Markdown ?? "");
        }

        if (kind == EmailKind.PetitionClosed)
        {
            var message = arguments.ReachedClosingDate is true
                ? t["The petition reached its closing date and no longer takes signatures. Thank you for signing."]
                : arguments.Markdown ?? "";
            return new(t["Petition closed: {0}", petitionTitle], t["The petition has closed"], message);
        }

        if (kind == EmailKind.PetitionVictory)
        {
            return new(t["Victory: {0}", petitionTitle], t["We won!"], arguments.Markdown ?? "");
        }

        if (kind == EmailKind.PetitionDelivered)
        {
            var recipients = arguments.Recipients ?? [];
            var list = string.Join("\n", recipients.Select(r => "- **" + PlainText.EscapeMarkdown(r.Name) + "**"
                + (string.IsNullOrWhiteSpace(r.Title) ? "" : t[", "] + PlainText.EscapeMarkdown(r.Title))));
            var count = arguments.SignatureCount ?? 0;
            var on = t["On {0}, {1} delivered the petition, with {2}, to:",
                Texts.Date((arguments.DeliveredAt ?? DateTimeOffset.UnixEpoch).ToUniversalTime()),
                PlainText.EscapeMarkdown(arguments.StarterName ?? ""),
                t.Plural(count, "{0} signature", "{0} signatures")];
            return new(t["Delivered: {0}", petitionTitle],
                t["The petition you signed was delivered to {0}", JoinNames(t, [.. recipients.Select(r => r.Name)])],
                $"{on}\n\n{list}\n\n{t["We'll tell you if they respond. Thank you for signing."]}");
        }

        if (kind == EmailKind.PetitionResponse)
        {
            var responder = arguments.Responder ?? new NoticePerson("", null);
            var name = "**" + PlainText.EscapeMarkdown(string.IsNullOrWhiteSpace(responder.Title) ? responder.Name : responder.Name + t[", "] + responder.Title) + "**";
            var verdict = arguments.Accepts is true
                ? t["{0} accepts the petition's demand. Their response:", name]
                : t["{0} does not accept the petition's demand. Their response:", name];
            var quoted = string.Join("\n", (arguments.ResponseText ?? "").ReplaceLineEndings("\n").Split('\n').Select(line => "> " + PlainText.EscapeMarkdown(line)));
            return new(t["Response: {0}", petitionTitle], t["{0} responded to the petition you signed", responder.Name], verdict + "\n\n" + quoted);
        }

        throw new ArgumentException($"{kind} is not a notice to supporters", nameof(kind));
    }

    /// <summary>"A", "A and B", "A, B and C", in the language.</summary>
    private static string JoinNames(Texts t, List<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => string.Join(t[", "], names.Take(names.Count - 1)) + t[" and "] + names[^1],
    };
}
