using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Petitions.Web.Features.Common;

/// <summary>
/// One form field in the GOV.UK pattern: a visible label, an optional hint, the error message above the input, and
/// the user's input kept. Renders an input, a textarea (Rows &gt; 0) or a select (Options set).
/// Usage: &lt;field for="Email" label="Email address" type="email" autocomplete="email" /&gt;
/// </summary>
[HtmlTargetElement("field", Attributes = "for", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldTagHelper(HtmlEncoder encoder, Localization.Texts t) : TagHelper
{
    public required ModelExpression For { get; set; }
    public string Label { get; set; } = "";
    public string? Hint { get; set; }
    public string Type { get; set; } = "text";
    public string? Autocomplete { get; set; }
    public string? Inputmode { get; set; }
    public int Rows { get; set; }
    public int? Maxlength { get; set; }
    public string? Width { get; set; }
    public IEnumerable<SelectListItem>? Options { get; set; }

    /// <summary>lang and dir of the text typed in (a translation into another language than the page's).</summary>
    public string? InputLang { get; set; }
    public string? InputDir { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = For.Name;
        var id = TagBuilder.CreateSanitizedId(name, "_");
        var state = ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) ? entry : null;
        var error = state?.Errors.Count > 0 ? state.Errors[0].ErrorMessage : null;
        var value = Type == "password" ? "" : state?.AttemptedValue ?? For.Model switch
        {
            null => "",
            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };

        string E(string s) => encoder.Encode(s);
        var describedBy = string.Join(' ', new[] { Hint is null ? null : id + "-hint", error is null ? null : id + "-error" }.OfType<string>());
        var common = $"id=\"{id}\" name=\"{E(name)}\"" + (describedBy.Length > 0 ? $" aria-describedby=\"{describedBy}\"" : "")
            + (Autocomplete is null ? "" : $" autocomplete=\"{E(Autocomplete)}\"")
            + (Maxlength is null ? "" : $" maxlength=\"{Maxlength}\"")
            + (InputLang is null ? "" : $" lang=\"{E(InputLang)}\"")
            + (InputDir is null ? "" : $" dir=\"{E(InputDir)}\"");
        var invalid = error is null ? "" : " is-invalid";
        var html = new System.Text.StringBuilder();
        html.Append($"<label class=\"form-label\" for=\"{id}\">{E(Label)}</label>");
        if (Hint is not null)
        {
            html.Append($"<p id=\"{id}-hint\" class=\"form-text mt-0\">{E(Hint)}</p>");
        }

        if (error is not null)
        {
            html.Append($"<p id=\"{id}-error\" class=\"error-message\"><span class=\"visually-hidden\">{E(t["Error:"])}</span> {E(error)}</p>");
        }

        if (Options is not null)
        {
            html.Append($"<select class=\"form-select{invalid}\" {common}>");
            foreach (var option in Options)
            {
                var selected = option.Value == value ? " selected" : "";
                html.Append($"<option value=\"{E(option.Value)}\"{selected}>{E(option.Text)}</option>");
            }

            html.Append("</select>");
        }
        else if (Rows > 0)
        {
            html.Append($"<textarea class=\"form-control{invalid}\" rows=\"{Rows}\" {common}>{E(value)}</textarea>");
        }
        else
        {
            var widthClass = Width is null ? "" : " field-width-" + Width;
            html.Append($"<input class=\"form-control{invalid}{widthClass}\" type=\"{E(Type)}\" value=\"{E(value)}\" {common}"
                + (Inputmode is null ? "" : $" inputmode=\"{E(Inputmode)}\"")
                + (Type is "email" or "password" ? " spellcheck=\"false\"" : "") + " />");
        }

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error is null ? "mb-3 field" : "mb-3 field field-error");
        output.Content.SetHtmlContent(html.ToString());
    }
}
