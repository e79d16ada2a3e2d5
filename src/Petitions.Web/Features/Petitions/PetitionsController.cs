using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Petitions;

public sealed class PetitionsController(PetitionPageQuery pages) : Controller
{
    public const string PagePolicy = "petition-page";

    [HttpGet("/p/{slug}")]
    [OutputCache(PolicyName = PagePolicy)]
    [AntiforgeryHole]
    public async Task<IActionResult> Show(string slug, CancellationToken cancellationToken)
    {
        var page = await pages.LoadAsync(slug, cancellationToken);
        return page is null ? NotFound() : View(page);
    }
}
