using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure.Caching;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Petitions;

// Read from the replica when there is one: the page may lag by as much as its cache does anyway.
public sealed class PetitionsController(ReadOnlyPetitionsDb readOnly, Moderation.SigningPause pause) : Controller
{
    public const string PagePolicy = "petition-page";

    [HttpGet("/p/{slug}")]
    [OutputCache(PolicyName = PagePolicy)]
    [PublicPage]
    public async Task<IActionResult> Show(string slug, string? original, CancellationToken cancellationToken)
    {
        var page = await new PetitionPageQuery(readOnly.Context, pause).LoadAsync(slug, cancellationToken,
            language: HttpContext.Language().Code, original: Translations.TranslatedText.WantsOriginal(original));
        if (page is not null)
        {
            return View(page);
        }

        // A petition the moderators removed says so (410), rather than pretending it never existed.
        var hidden = await readOnly.Context.Petitions.AsNoTracking().AnyAsync(p => p.Slug == slug && p.Status == PetitionStatus.Hidden, cancellationToken);
        if (!hidden)
        {
            return NotFound();
        }

        // Not kept by browsers or proxies: a restored petition must come back at once.
        Response.StatusCode = StatusCodes.Status410Gone;
        Response.Headers.CacheControl = "no-store";
        return View("Removed");
    }
}
