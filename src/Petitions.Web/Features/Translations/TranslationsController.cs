using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Organize;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Translations;

/// <summary>
/// An organizer's translations of their petition. Like the other organizer pages: the owner (or an admin) only, anyone
/// else gets a 404; and once the petition has closed, won or been delivered its text is locked, translations included.
/// </summary>
[Authorize]
public sealed class TranslationsController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    SiteLanguages languages,
    TranslationFormValidator validator,
    IOutputCacheStore pageCache,
    TimeProvider clock,
    Texts t) : Controller
{
    [HttpGet("/dashboard/p/{slug}/translations")]
    public async Task<IActionResult> Index(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var existing = await db.PetitionTranslations.AsNoTracking().Where(x => x.PetitionId == petition.Id).ToListAsync(cancellationToken);
        var rows = languages.All.Where(l => l.Code != petition.Language)
            .Select(l => new TranslationRow(l, existing.FirstOrDefault(x => x.Language == l.Code))).ToList();
        ViewData["Locked"] = await IsTextLockedAsync(petition, cancellationToken);
        return View(new TranslationsPageModel(petition, OriginalOf(petition), rows) { Updates = await UpdateTranslationsController.RowsAsync(db, petition.Id, cancellationToken) });
    }

    [HttpGet("/dashboard/p/{slug}/translations/{language}")]
    public async Task<IActionResult> Edit(string slug, string language, CancellationToken cancellationToken)
    {
        var (petition, target, failure) = await FindAsync(slug, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var translation = await db.PetitionTranslations.AsNoTracking()
            .SingleOrDefaultAsync(x => x.PetitionId == petition!.Id && x.Language == target!.Code, cancellationToken);
        var form = translation is null ? new TranslationForm() : new TranslationForm { Title = translation.Title, Body = translation.Body };
        return View(new TranslationEditModel(petition!, OriginalOf(petition!), target!, translation is not null, form));
    }

    [HttpPost("/dashboard/p/{slug}/translations/{language}")]
    public async Task<IActionResult> Edit(string slug, string language, TranslationForm form, CancellationToken cancellationToken)
    {
        var (petition, target, failure) = await FindAsync(slug, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var translation = await db.PetitionTranslations
            .SingleOrDefaultAsync(x => x.PetitionId == petition!.Id && x.Language == target!.Code, cancellationToken);
        var result = validator.Validate(form);
        ModelState.Clear();
        ModelState.AddErrors(result, "Form.");
        if (!result.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new TranslationEditModel(petition!, OriginalOf(petition!), target!, translation is not null, form));
        }

        var now = clock.GetUtcNow();
        var (title, body) = (form.Title!.Trim(), form.Body!.Trim());
        if (translation is null)
        {
            db.PetitionTranslations.Add(TranslatedText.Create(petition!.Id, target!.Code, title, body, now));
        }
        else
        {
            TranslatedText.Edit(translation, title, body, now);
        }

        await TranslatedText.SaveAsync(db, pageCache, cancellationToken);
        this.Notice(t["The translation is saved."]);
        return Redirect($"/dashboard/p/{slug}/translations");
    }

    [HttpPost("/dashboard/p/{slug}/translations/{language}/delete")]
    public async Task<IActionResult> Delete(string slug, string language, CancellationToken cancellationToken)
    {
        var (petition, target, failure) = await FindAsync(slug, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        await db.PetitionTranslations.Where(x => x.PetitionId == petition!.Id && x.Language == target!.Code).ExecuteDeleteAsync(cancellationToken);
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        this.Notice(t["The translation is deleted."]);
        return Redirect($"/dashboard/p/{slug}/translations");
    }

    /// <summary>The petition and the target language, or the answer to give: 404 for someone else's petition, a
    /// language the site does not have or the original's; 409 with the locked page once the text is locked.</summary>
    private async Task<(Petition? Petition, Language? Target, IActionResult? Failure)> FindAsync(string slug, string language, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        var target = languages.Find(language);
        if (petition is null || target is null || target.Code == petition.Language)
        {
            return (null, null, NotFound());
        }

        if (await IsTextLockedAsync(petition, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return (null, null, View("~/Features/Organize/EditLocked.cshtml", petition));
        }

        return (petition, target, null);
    }

    // As OrganizeController.IsTextLockedAsync: what people signed stays as they read it, in every language.
    private async Task<bool> IsTextLockedAsync(Petition petition, CancellationToken cancellationToken) =>
        petition.Status is PetitionStatus.Closed or PetitionStatus.Victory
        || await db.Deliveries.AnyAsync(d => d.PetitionId == petition.Id, cancellationToken);

    private Language OriginalOf(Petition petition) => languages.Find(petition.Language) ?? Language.For(petition.Language);
}
