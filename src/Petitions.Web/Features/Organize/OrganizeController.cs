using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Organize;

/// <summary>The draft as it will look once published; <paramref name="Status"/> is its real status.</summary>
public sealed record PreviewModel(PetitionPageModel Page, PetitionStatus Status, bool PreModeration)
{
    public bool IsDraft => Status is PetitionStatus.Draft or PetitionStatus.Rejected;
}

public sealed record OutcomeFormModel(Petition Petition, MessageForm Form);

[Authorize]
public sealed partial class OrganizeController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    PetitionPageQuery pages,
    SupporterNotices notices,
    UserManager<ApplicationUser> users,
    StartPetitionFormValidator startValidator,
    PetitionFormValidator editValidator,
    UpdateFormValidator updateValidator,
    OutcomeMessageValidator outcomeValidator,
    Microsoft.AspNetCore.OutputCaching.IOutputCacheStore pageCache,
    Microsoft.Extensions.Options.IOptions<Moderation.ModerationOptions> moderation,
    TimeProvider clock,
    Domain.Privacy.ProtectedFields protectedFields,
    Localization.Texts t) : Controller
{
    [HttpGet("/dashboard/p/{slug}/updates/new")]
    public Task<IActionResult> NewUpdate(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "NewUpdate", p => p.IsPublic, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/updates/new")]
    public Task<IActionResult> NewUpdate(string slug, MessageForm form, CancellationToken cancellationToken) =>
        Outcome(slug, form, "NewUpdate", t["Your update is posted. Supporters who asked for updates will get it by email."], updateValidator, p => p.IsPublic, (petition, now) =>
        {
            var markdown = form.Message!.Trim();
            db.PetitionUpdates.Add(new PetitionUpdate
            {
                PetitionId = petition.Id,
                Title = form.Title!.Trim(),
                Body = markdown,
                BodyHtml = PetitionText.ToSafeHtml(markdown),
                PostedAt = now,
            });
            notices.QueueUpdate(db, petition, form.Title!.Trim(), markdown);
        }, cancellationToken);

    [HttpGet("/dashboard/p/{slug}/close")]
    public Task<IActionResult> Close(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "Close", p => p.CanClose, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/close")]
    public Task<IActionResult> Close(string slug, MessageForm form, CancellationToken cancellationToken) =>
        Outcome(slug, form, "Close", t["Your petition is closed. It no longer accepts signatures."], outcomeValidator, p => p.CanClose, (petition, now) =>
            notices.Queue(db, petition, petition.Close(form.Message!.Trim(), now)!), cancellationToken);

    [HttpGet("/dashboard/p/{slug}/victory")]
    public Task<IActionResult> Victory(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "Victory", p => p.CanDeclareVictory, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/victory")]
    public async Task<IActionResult> Victory(string slug, MessageForm form, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        var confirmed = 0;
        if (petition is not null && petition.CanDeclareVictory)
        {
            confirmed = await db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed, cancellationToken);
            if (!Petition.HasEnoughSignaturesForVictory(confirmed))
            {
                ModelState.Clear();
                ModelState.AddModelError("Form." + nameof(MessageForm.Message),
                    t["You can declare victory once the petition has at least {0} confirmed signatures. It has {1}", Petition.MinimumSignaturesForVictory, confirmed]);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("Victory", new OutcomeFormModel(petition, form));
            }
        }

        return await Outcome(slug, form, "Victory", t["Congratulations! Your petition is marked as a victory."], outcomeValidator, p => p.CanDeclareVictory, (p, now) =>
            notices.Queue(db, p, p.DeclareVictory(form.Message!.Trim(), confirmed, now)!), cancellationToken);
    }

    private async Task<IActionResult> OutcomeForm(string slug, string view, Func<Petition, bool> allowed, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        return allowed(petition) ? View(view, new OutcomeFormModel(petition, new MessageForm())) : Redirect($"/dashboard/p/{slug}");
    }

    private async Task<IActionResult> Outcome(string slug, MessageForm form, string view, string notice, IValidator<MessageForm> validator,
        Func<Petition, bool> allowed, Action<Petition, DateTimeOffset> apply, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        if (!allowed(petition))
        {
            return Redirect($"/dashboard/p/{slug}");
        }

        if (!ModelState.Validate(validator, form, "Form."))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(view, new OutcomeFormModel(petition, form));
        }

        // The change and the job that tells supporters about it commit together.
        apply(petition, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await ForgetCachedPagesAsync(cancellationToken);
        this.Notice(notice);
        return Redirect($"/p/{slug}");
    }

    // The organizer should see their change at once, not up to a second later.
    private async Task ForgetCachedPagesAsync(CancellationToken cancellationToken) =>
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
}
