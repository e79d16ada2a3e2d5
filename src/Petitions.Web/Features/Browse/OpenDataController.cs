using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.RateLimiting;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure;
using Petitions.Web.Infrastructure.Caching;

namespace Petitions.Web.Features.Browse;

/// <summary>
/// The public JSON API for embeds and open data. Responses are public and may be cached by browsers and proxies
/// (<see cref="PublicPages"/>), and any origin may read them: they hold nothing that the pages don't show. The server caches
/// them too (<see cref="OpenDataCache"/>), and they have their own rate limit (<see cref="ApiRateLimit"/>).
/// </summary>
[EnableRateLimiting(ApiRateLimit.Policy)]
public sealed class OpenDataController(ReadOnlyPetitionsDb readOnly, SiteLinks siteLinks) : Controller
{
    private PetitionsDbContext db => readOnly.Context;

    // A complex segment ({slug}.json) takes precedence over the page's plain /p/{slug}, so the two routes don't clash.
    [HttpGet("/p/{slug}.json")]
    [OutputCache(PolicyName = OpenDataCache.PetitionPolicy)]
    [PublicPage(SameForEveryone = true)]
    public async Task<IActionResult> Petition(string slug, CancellationToken cancellationToken)
    {
        OpenDataHeaders();
        var petition = await new PetitionJsonQuery(db).LoadAsync(slug, siteLinks, cancellationToken);
        if (petition is null)
        {
            return NotFound(new ErrorJson("not_found", "There is no published petition at this address."));
        }

        return Json(petition);
    }

    [HttpGet("/petitions.json")]
    [OutputCache(PolicyName = OpenDataCache.ListPolicy)]
    [PublicPage(SameForEveryone = true)]
    public async Task<IActionResult> List(string? status, string? category, string? sort, string? after, string? before, CancellationToken cancellationToken)
    {
        OpenDataHeaders();
        var request = BrowseRequest.Parse(status, category, sort, after, before);
        if (request.Problem is not null)
        {
            return BadRequest(new ErrorJson("bad_cursor", request.Problem));
        }

        var page = await new BrowseQuery(db).LoadAsync(request.Filter, request.After, request.Before, cancellationToken);
        string Link(BrowseCursor? after = null, BrowseCursor? before = null) => siteLinks.Origin + "/petitions.json" + BrowseRequest.Query(request.Filter, after, before);

        var data = page.Items.Select(p => new PetitionListItemJson(
            p.Id,
            p.Slug,
            p.Title,
            BrowseNames.Status(p.Status),
            p.SignatureCount,
            p.DisplayGoal,
            siteLinks.Petition(p.Slug),
            siteLinks.Petition(p.Slug) + ".json",
            p.StarterName,
            p.Category,
            p.Excerpt,
            p.PublishedAt,
            p.ClosesAt)).ToList();
        var links = new ListLinksJson(
            Link(request.After, request.Before),
            page.Next is null ? null : Link(after: page.Next),
            page.Previous is null ? null : Link(before: page.Previous));

        return Json(new PetitionListJson(data, links));
    }

    private void OpenDataHeaders() => Response.Headers.AccessControlAllowOrigin = "*";
}
