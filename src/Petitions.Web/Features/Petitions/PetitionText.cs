using Ganss.Xss;
using Markdig;

namespace Petitions.Web.Features.Petitions;

/// <summary>Turns an organizer's Markdown into sanitized HTML, split into a lead and the rest that folds away.</summary>
public static class PetitionText
{
    private const int LeadCharacters = 600;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras().UseAutoLinks().UseListExtras().UseSoftlineBreakAsHardlineBreak().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    public static (string LeadHtml, string? MoreHtml) Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var split = -1;
        var length = 0;
        for (var i = 0; i < document.Count; i++)
        {
            length += document[i].Span.Length;
            if (length >= LeadCharacters && i + 1 < document.Count)
            {
                split = document[i + 1].Span.Start;
                break;
            }
        }

        if (split < 0)
        {
            return (ToSafeHtml(markdown), null);
        }

        return (ToSafeHtml(markdown[..split]), ToSafeHtml(markdown[split..]));
    }

    /// <summary>Plain text for meta descriptions and emails.</summary>
    public static string Excerpt(string markdown, int maxLength)
    {
        var text = Markdown.ToPlainText(markdown, Pipeline).ReplaceLineEndings(" ").Trim();
        while (text.Contains("  ", StringComparison.Ordinal))
        {
            text = text.Replace("  ", " ", StringComparison.Ordinal);
        }

        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1).TrimEnd(), "…");
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedTags.Remove("img");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("class");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("rel", "nofollow ugc noopener");
            }
        };
        return sanitizer;
    }
}
