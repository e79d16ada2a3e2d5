using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Petitions.Web.Features.Petitions;

/// <summary>Turns an organizer's Markdown into sanitized HTML, split into a lead and the rest that folds away.</summary>
public static partial class PetitionText
{
    private const int LeadCharacters = 600;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras().UseAutoLinks().UseListExtras().UseSoftlineBreakAsHardlineBreak().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>
    /// How deeply lists, quotes and emphasis may nest, counted as Markdig counts (a list level is two: list and item).
    /// Markdig refuses 128; half of that leaves room for the quoting that notices wrap around typed text.
    /// </summary>
    public const int MaxNesting = 64;

    /// <summary>Whether the text nests within <see cref="MaxNesting"/>; validators refuse text that does not, since it cannot be rendered.</summary>
    public static bool NestsWithinLimit(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return true;
        }

        try
        {
            return Depth(Markdown.Parse(markdown, Pipeline)) <= MaxNesting;
        }
        catch (ArgumentException)
        {
            // Markdig's own depth limit.
            return false;
        }
    }

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    public static (string LeadHtml, string? MoreHtml) Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        // Text pasted from another site may end its lead with a literal "(Read More)" (the reference petition does):
        // fold there, and let our own "Read more" stand for it, so the page never shows two. The text stays as written.
        for (var i = 0; i + 1 < document.Count; i++)
        {
            if (document[i] is ParagraphBlock paragraph && ReadMoreMarker().Match(markdown, paragraph.Span.Start, paragraph.Span.Length) is { Success: true } marker)
            {
                var split = document[i + 1].Span.Start;
                return (ToSafeHtml(markdown[..marker.Index] + markdown[(marker.Index + marker.Length)..split]), ToSafeHtml(markdown[split..]));
            }
        }

        return RenderByLength(markdown, document);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]*\((?:Read|See) more(?:\.{3}|…)?\)[ \t]*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ReadMoreMarker();

    private static (string LeadHtml, string? MoreHtml) RenderByLength(string markdown, MarkdownDocument document)
    {
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

    // Iterative, so that measuring deep text cannot overflow the stack.
    private static int Depth(MarkdownDocument document)
    {
        var deepest = 0;
        var pending = new Stack<(MarkdownObject Node, int Depth)>();
        pending.Push((document, 0));
        while (pending.TryPop(out var item))
        {
            deepest = Math.Max(deepest, item.Depth);
            switch (item.Node)
            {
                case ContainerBlock container:
                    foreach (var child in container)
                    {
                        pending.Push((child, item.Depth + 1));
                    }

                    break;
                case LeafBlock { Inline: { } inline }:
                    pending.Push((inline, item.Depth + 1));
                    break;
                case ContainerInline container:
                    foreach (var child in container)
                    {
                        pending.Push((child, item.Depth + 1));
                    }

                    break;
            }
        }

        return deepest;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedTags.Remove("img");
        // No form controls: organizer text must never look like, or post as, one of the site's own forms.
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "datalist", "output" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }
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
