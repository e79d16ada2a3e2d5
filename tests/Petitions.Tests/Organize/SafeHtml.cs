using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Organize;

/// <summary>Checks that nothing an organizer typed can run in a visitor's browser.</summary>
public static class SafeHtml
{
    private static readonly string[] AuthoredAreas = [".petition-body", ".updates", ".closing-message", ".decision-makers", ".starter-line", "h1"];

    private static readonly string[] ActiveTags = ["script", "iframe", "frame", "object", "embed", "svg", "style", "img", "form", "input", "link", "meta", "base"];

    private static readonly string[] UrlAttributes = ["href", "src", "action", "formaction", "data", "background", "poster", "xlink:href", "style"];

    /// <summary>No script, frame, plug-in, form, inline handler or javascript: URL that a petition's author could have put there.</summary>
    public static void AssertSafe(HtmlPage page)
    {
        ArgumentNullException.ThrowIfNull(page);

        // The site's own scripts are files from its own origin; nothing inline.
        // JSON-LD is a data block that browsers never run.
        Assert.All(page.All("script").Where(s => s.GetAttribute("type") != "application/ld+json"), s => Assert.StartsWith("/", s.GetAttribute("src") ?? "(inline script)", StringComparison.Ordinal));
        var authored = string.Join(", ", AuthoredAreas.SelectMany(area => ActiveTags.Select(tag => $"{area} {tag}")));
        Assert.Empty(page.All(authored).Select(e => e.OuterHtml));
        Assert.Empty(page.All("iframe, frame, object, embed").Select(e => e.OuterHtml));

        foreach (var element in page.All("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                var shown = $"<{element.LocalName} {attribute.Name}=\"{attribute.Value}\">";
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), shown);
                if (UrlAttributes.Contains(attribute.Name, StringComparer.OrdinalIgnoreCase))
                {
                    // Browsers ignore whitespace and control characters inside a scheme.
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    Assert.False(value.Contains("javascript:", StringComparison.OrdinalIgnoreCase), shown);
                    Assert.False(value.StartsWith("data:", StringComparison.OrdinalIgnoreCase), shown);
                    Assert.False(value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase), shown);
                }
            }
        }
    }
}
