using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure.Caching;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Home;

public sealed record PetitionCard(string Slug, string Title, string StarterName, int SignatureCount, PetitionStatus Status, int Goal = 0, bool AutomaticGoal = true, string? ImageHash = null, string Language = "en");

public sealed class HomePageModel
{
    public required IReadOnlyList<PetitionCard> Featured { get; init; }
    public required IReadOnlyList<PetitionCard> MostSigned { get; init; }
    public required IReadOnlyList<PetitionCard> Victories { get; init; }
}

public sealed class HomeController(ReadOnlyPetitionsDb readOnly) : Controller
{
    private PetitionsDbContext db => readOnly.Context;

    [HttpGet("/")]
    [OutputCache(PolicyName = PublicPages.HomePolicy)]
    [PublicPage]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var open = db.Petitions.AsNoTracking().Where(p => p.Status == PetitionStatus.Open);
        var model = new HomePageModel
        {
            Featured = await Cards(open.Where(p => p.Featured).OrderByDescending(p => p.PublishedAt), 3, cancellationToken),
            MostSigned = await Cards(open.OrderByDescending(p => p.SignatureCount).ThenBy(p => p.Id), 6, cancellationToken),
            Victories = await Cards(db.Petitions.AsNoTracking().Where(p => p.Status == PetitionStatus.Victory).OrderByDescending(p => p.VictoryAt), 3, cancellationToken),
        };
        return View(model);
    }

    [HttpGet("/privacy")]
    public IActionResult Privacy() => View();

    [HttpGet("/accessibility")]
    public IActionResult Accessibility() => View();

    [Route("/error/{status:int}")]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Error()
    {
        // No bound parameters: model binding would read the form of the failed request, and a form the server cannot
        // parse (one with a NUL byte, say) would turn this page's 400 into a 500.
        var status = HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null
            ? StatusCodes.Status500InternalServerError
            : HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode
                ?? (int.TryParse(RouteData.Values["status"]?.ToString(), out var routed) ? routed : StatusCodes.Status404NotFound);

        // Anyone can type /error/99999: only an error status may be sent, or the status line is invalid.
        if (status is < 400 or > 599)
        {
            status = StatusCodes.Status404NotFound;
        }

        Response.StatusCode = status;
        return View("Error", status);
    }

    // Each card in the page's language where the petition has a translation into it.
    private Task<List<PetitionCard>> Cards(IQueryable<Petition> query, int take, CancellationToken cancellationToken)
    {
        var language = HttpContext.Language().Code;
        return query.Take(take).Select(p => new PetitionCard(p.Slug,
            db.PetitionTranslations.Where(t => t.PetitionId == p.Id && t.Language == language).Select(t => t.Title).FirstOrDefault() ?? p.Title,
            p.StarterName, p.SignatureCount, p.Status, p.Goal, p.AutomaticGoal,
            db.PetitionImages.Where(i => i.PetitionId == p.Id).Select(i => i.Hash).FirstOrDefault(),
            db.PetitionTranslations.Where(t => t.PetitionId == p.Id && t.Language == language).Select(t => t.Language).FirstOrDefault() ?? p.Language)).ToListAsync(cancellationToken);
    }
}
