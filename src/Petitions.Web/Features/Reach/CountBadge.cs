using System.Globalization;
using System.Net;

namespace Petitions.Web.Features.Reach;

/// <summary>A small "signatures | 1,234" badge, for READMEs and pages that cannot hold an iframe.</summary>
public static class CountBadge
{
    private const string Label = "signatures";

    public static string Svg(int count)
    {
        var value = count.ToString("N0", CultureInfo.InvariantCulture);
        // Verdana 11 px averages about 7 px a character; wide enough for any count.
        var labelWidth = 10 + (Label.Length * 7);
        var valueWidth = 10 + (value.Length * 7);
        var width = labelWidth + valueWidth;
        var text = WebUtility.HtmlEncode($"{value} {Label}");
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{text}">
            <title>{text}</title>
            <rect width="{labelWidth}" height="20" fill="#3d3d3d"/>
            <rect x="{labelWidth}" width="{valueWidth}" height="20" fill="#b3123a"/>
            <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
            <text x="{labelWidth / 2}" y="14">{Label}</text>
            <text x="{labelWidth + (valueWidth / 2)}" y="14">{WebUtility.HtmlEncode(value)}</text>
            </g>
            </svg>
            """;
    }
}
