using System.Text.Json;
using Petitions.Web.Data;
using Petitions.Web.Features.Images;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Reach;

/// <summary>
/// schema.org has no Petition type; an Article with its author, dates, image and the count as an interaction
/// statistic is what search engines read for a page like this.
/// </summary>
public static class PetitionJsonLd
{
    // The default encoder escapes <, > and &, so the text can never close the script element.
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string For(PetitionPageModel page, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(links);
        var p = page.Petition;
        var url = links.Petition(p.Slug);
        var data = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Article",
            ["@id"] = url,
            ["url"] = url,
            ["mainEntityOfPage"] = url,
            ["headline"] = p.Title.Length > 110 ? p.Title[..109] + "…" : p.Title,
            ["name"] = p.Title,
            ["description"] = PetitionText.Excerpt(p.Body, 200),
            ["author"] = new Dictionary<string, object?> { ["@type"] = "Person", ["name"] = p.StarterName },
            ["articleSection"] = p.Category,
            ["datePublished"] = p.PublishedAt?.ToString("o"),
            ["dateModified"] = (p.EditedAt ?? p.PublishedAt)?.ToString("o"),
            ["image"] = page.Image is { } image ? links.Origin + ImageUrls.For(image.Hash, 1200) : null,
            ["interactionStatistic"] = new Dictionary<string, object?>
            {
                ["@type"] = "InteractionCounter",
                ["interactionType"] = "https://schema.org/JoinAction",
                ["userInteractionCount"] = p.SignatureCount,
            },
            ["creativeWorkStatus"] = p.Status switch
            {
                PetitionStatus.Open => "Open",
                PetitionStatus.Victory => "Victory",
                _ => "Closed",
            },
        };
        foreach (var key in data.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            data.Remove(key);
        }

        return JsonSerializer.Serialize(data, Options);
    }
}
