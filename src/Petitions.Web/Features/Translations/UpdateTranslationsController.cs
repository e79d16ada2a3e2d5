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
/// An organizer's translations of their petition's updates. The owner (or an admin) only, anyone else gets a 404. Unlike
/// the petition's text, an update can be translated after the petition closed: updates are still posted then.
/// </summary>
[Authorize]
public sealed class UpdateTranslationsController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    SiteLanguages languages,
    UpdateTranslationFormValidator validator,
    IOutputCacheStore pageCache,
    TimeProvider clock,
    Texts t) : Controller
{
    private const string Route = "/dashboard/p/{slug}/translations/updates/{id:long}/{language}";

    [HttpGet(Route)]
    public async Task<IActionResult> Edit(string slug, long id, string language, CancellationToken cancellationToken)
    {
        var (petition, update, target) = await FindAsync(slug, id, language, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var translation = await db.PetitionUpdateTranslations.AsNoTracking()
            .SingleOrDefaultAsync(x => x.UpdateId == update!.Id && x.Language == target!.Code, cancellationToken);
        var form = translation is null ? new TranslationForm() : new TranslationForm { Title = translation.Title, Body = translation.Body };
        return View("UpdateEdit", new UpdateTranslationEditModel(petition, update!, OriginalOf(petition), target!, translation is not null, form));
    }

    [HttpPost(Route)]
    public async Task<IActionResult> Edit(string slug, long id, string language, TranslationForm form, CancellationToken cancellationToken)
    {
        var (petition, update, target) = await FindAsync(slug, id, language, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var translation = await db.PetitionUpdateTranslations
            .SingleOrDefaultAsync(x => x.UpdateId == update!.Id && x.Language == target!.Code, cancellationToken);
        var result = validator.Validate(form);
        ModelState.Clear();
        ModelState.AddErrors(result, "Form.");
        if (!result.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("UpdateEdit", new UpdateTranslationEditModel(petition, update!, OriginalOf(petition), target!, translation is not null, form));
        }

        var now = clock.GetUtcNow();
        var (title, body) = (form.Title!.Trim(), form.Body!.Trim());
        if (translation is null)
        {
            db.PetitionUpdateTranslations.Add(TranslatedText.CreateForUpdate(update!.Id, target!.Code, title, body, now));
        }
        else
        {
            TranslatedText.EditForUpdate(translation, title, body, now);
        }

        await TranslatedText.SaveAsync(db, pageCache, cancellationToken);
        this.Notice(t["The translation is saved."]);
        return Redirect($"/dashboard/p/{slug}/translations");
    }

    [HttpPost(Route + "/delete")]
    public async Task<IActionResult> Delete(string slug, long id, string language, CancellationToken cancellationToken)
    {
        var (petition, update, target) = await FindAsync(slug, id, language, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        await db.PetitionUpdateTranslations.Where(x => x.UpdateId == update!.Id && x.Language == target!.Code).ExecuteDeleteAsync(cancellationToken);
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        this.Notice(t["The translation is deleted."]);
        return Redirect($"/dashboard/p/{slug}/translations");
    }

    /// <summary>The petition's updates, newest first, with their translations: for the translations page.</summary>
    public static async Task<IReadOnlyList<UpdateTranslationsRow>> RowsAsync(PetitionsDbContext db, long petitionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var updates = await db.PetitionUpdates.AsNoTracking().Where(u => u.PetitionId == petitionId)
            .OrderByDescending(u => u.PostedAt).ThenByDescending(u => u.Id).Take(50).ToListAsync(cancellationToken);
        var ids = updates.ConvertAll(u => u.Id);
        var translations = await db.PetitionUpdateTranslations.AsNoTracking().Where(x => ids.Contains(x.UpdateId)).ToListAsync(cancellationToken);
        return updates.ConvertAll(u => new UpdateTranslationsRow(u,
            translations.Where(x => x.UpdateId == u.Id).ToDictionary(x => x.Language, StringComparer.Ordinal)));
    }

    /// <summary>The petition, its update and the target language; nulls (a 404) for someone else's petition, another petition's update, a language the site does not have or the original's.</summary>
    private async Task<(Petition? Petition, PetitionUpdate? Update, Language? Target)> FindAsync(string slug, long id, string language, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        var target = languages.Find(language);
        if (petition is null || target is null || target.Code == petition.Language)
        {
            return (null, null, null);
        }

        var update = await db.PetitionUpdates.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && u.PetitionId == petition.Id, cancellationToken);
        return update is null ? (null, null, null) : (petition, update, target);
    }

    private Language OriginalOf(Petition petition) => languages.Find(petition.Language) ?? Language.For(petition.Language);
}
