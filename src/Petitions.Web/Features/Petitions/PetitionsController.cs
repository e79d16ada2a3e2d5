using Microsoft.AspNetCore.Mvc;

namespace Petitions.Web.Features.Petitions;

public sealed class PetitionsController(PetitionPageQuery pages) : Controller
{
    [HttpGet("/p/{slug}")]
    public async Task<IActionResult> Show(string slug, CancellationToken cancellationToken)
    {
        var page = await pages.LoadAsync(slug, cancellationToken);
        return page is null ? NotFound() : View(page);
    }
}
