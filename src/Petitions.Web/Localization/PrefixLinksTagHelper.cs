using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Petitions.Web.Localization;

/// <summary>
/// Puts the page's language prefix before root-relative links and form actions (href="/petitions" becomes
/// "/fa/petitions" on a Persian page), so views write plain paths and a visitor stays in their language.
/// </summary>
[HtmlTargetElement("a", Attributes = "href")]
[HtmlTargetElement("form", Attributes = "action")]
public sealed class PrefixLinksTagHelper(SiteLanguages languages, HtmlEncoder encoder) : TagHelper
{
    // After the framework's ~/ resolution, which already adds the prefix (PathBase).
    public override int Order => 100;

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var prefix = languages.Prefix(ViewContext.HttpContext.Language());
        // A link with hreflang names its language itself (the language switcher).
        if (prefix.Length == 0 || output.Attributes.ContainsName("hreflang"))
        {
            return;
        }

        var name = output.TagName == "form" ? "action" : "href";
        if (!output.Attributes.TryGetAttribute(name, out var attribute) || attribute.Value is null)
        {
            return;
        }

        var value = attribute.Value switch
        {
            string s => s,
            Microsoft.AspNetCore.Html.IHtmlContent html => Render(html),
            var other => other.ToString() ?? "",
        };
        if (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && !languages.HasPrefix(value))
        {
            // The rendered value is already encoded; HtmlString keeps it so.
            output.Attributes.SetAttribute(name, new Microsoft.AspNetCore.Html.HtmlString(encoder.Encode(prefix) + (attribute.Value is string ? encoder.Encode(value) : value)));
        }
    }

    private string Render(Microsoft.AspNetCore.Html.IHtmlContent html)
    {
        using var writer = new StringWriter();
        html.WriteTo(writer, encoder);
        return writer.ToString();
    }
}
