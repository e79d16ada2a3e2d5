using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Common;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

/// <summary>The moderators' pages: the home with its queues, reports, and the review page of one petition with its decisions.</summary>
[Authorize(Policy = AdminRoles.ModerationPolicy)]
public sealed class ModerationController(
    PetitionsDbContext db, ModerationQueries queries, ModerationDecisions decisions, DecisionFormValidator validator, SigningPauseActions pausing,
    Texts t) : Controller
{
    [HttpGet("/admin")]
    public async Task<IActionResult> Home(CancellationToken cancellationToken) => View(await queries.HomeAsync(cancellationToken));

    [HttpGet("/admin/reports")]
    public async Task<IActionResult> Reports(CancellationToken cancellationToken) => View(await queries.ReportGroupsAsync(500, cancellationToken));

    [HttpGet("/admin/petitions/{slug}")]
    public async Task<IActionResult> Review(string slug, CancellationToken cancellationToken)
    {
        var model = await queries.ReviewAsync(slug, null, null, cancellationToken);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("/admin/petitions/{slug}/approve")]
    public Task<IActionResult> Approve(string slug, [Bind(Prefix = "Form")] DecisionForm form, CancellationToken cancellationToken) =>
        DecideAsync(slug, Decision.Approve, form, needsReason: false, cancellationToken);

    [HttpPost("/admin/petitions/{slug}/reject")]
    public Task<IActionResult> Reject(string slug, [Bind(Prefix = "Form")] DecisionForm form, CancellationToken cancellationToken) =>
        DecideAsync(slug, Decision.Reject, form, needsReason: true, cancellationToken);

    [HttpPost("/admin/petitions/{slug}/hide")]
    public Task<IActionResult> Hide(string slug, [Bind(Prefix = "Form")] DecisionForm form, CancellationToken cancellationToken) =>
        DecideAsync(slug, Decision.Hide, form, needsReason: true, cancellationToken);

    [HttpPost("/admin/petitions/{slug}/restore")]
    public Task<IActionResult> Restore(string slug, [Bind(Prefix = "Form")] DecisionForm form, CancellationToken cancellationToken) =>
        DecideAsync(slug, Decision.Restore, form, needsReason: false, cancellationToken);

    [HttpPost("/admin/petitions/{slug}/pause-signing")]
    public Task<IActionResult> PauseSigning(string slug, string? pauseReason, CancellationToken cancellationToken) => PausePetitionAsync(slug, true, pauseReason, cancellationToken);

    [HttpPost("/admin/petitions/{slug}/resume-signing")]
    public Task<IActionResult> ResumeSigning(string slug, string? pauseReason, CancellationToken cancellationToken) => PausePetitionAsync(slug, false, pauseReason, cancellationToken);

    [HttpPost("/admin/pause-signing")]
    public Task<IActionResult> PauseSiteSigning(string? pauseReason, CancellationToken cancellationToken) => PauseSiteAsync(true, pauseReason, cancellationToken);

    [HttpPost("/admin/resume-signing")]
    public Task<IActionResult> ResumeSiteSigning(string? pauseReason, CancellationToken cancellationToken) => PauseSiteAsync(false, pauseReason, cancellationToken);

    private async Task<IActionResult> PausePetitionAsync(string slug, bool paused, string? reason, CancellationToken cancellationToken)
    {
        var petition = await db.Petitions.SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        ModelState.Clear();
        if (paused && SigningPause.ReasonError(t, reason) is { } error)
        {
            ModelState.AddModelError("PauseReason", error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Review", await queries.ReviewAsync(slug, null, null, cancellationToken));
        }

        await pausing.SetPetitionAsync(petition, paused, reason?.Trim(), User, cancellationToken);
        return Redirect($"/admin/petitions/{slug}");
    }

    private async Task<IActionResult> PauseSiteAsync(bool paused, string? reason, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (paused && SigningPause.ReasonError(t, reason) is { } error)
        {
            ModelState.AddModelError("PauseReason", error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Home", await queries.HomeAsync(cancellationToken));
        }

        await pausing.SetSiteWideAsync(paused, reason?.Trim(), User, cancellationToken);
        return Redirect("/admin");
    }

    [HttpPost("/admin/petitions/{slug}/reports/dismiss")]
    public async Task<IActionResult> Dismiss(string slug, CancellationToken cancellationToken)
    {
        var petition = await db.Petitions.AsNoTracking().SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        await decisions.DismissReportsAsync(petition, User, cancellationToken);
        return Redirect("/admin/reports");
    }

    [HttpPost("/admin/signatures/{id:long}/hide-public")]
    public Task<IActionResult> HideSupporter(long id, string? returnSlug, CancellationToken cancellationToken) => SupporterAsync(id, true, returnSlug, cancellationToken);

    [HttpPost("/admin/signatures/{id:long}/show-public")]
    public Task<IActionResult> ShowSupporter(long id, string? returnSlug, CancellationToken cancellationToken) => SupporterAsync(id, false, returnSlug, cancellationToken);

    private async Task<IActionResult> SupporterAsync(long id, bool hidden, string? returnSlug, CancellationToken cancellationToken)
    {
        if (!await decisions.SetSupporterHiddenAsync(id, hidden, null, User, cancellationToken))
        {
            return NotFound();
        }

        var slug = await db.Signatures.Where(s => s.Id == id).Join(db.Petitions, s => s.PetitionId, p => p.Id, (_, p) => p.Slug).SingleAsync(cancellationToken);
        return Redirect($"/admin/petitions/{slug}");
    }

    private async Task<IActionResult> DecideAsync(string slug, Decision decision, DecisionForm form, bool needsReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var petition = await db.Petitions.SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        ModelState.Clear();
        if (needsReason)
        {
            var result = validator.Validate(form);
            ModelState.AddErrors(result, "Form.");
            if (!result.IsValid)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("Review", await queries.ReviewAsync(slug, form, decision.ToString(), cancellationToken));
            }
        }
        else if (form.Note?.Length > DecisionFormValidator.MaxNoteLength)
        {
            form.Note = form.Note[..DecisionFormValidator.MaxNoteLength];
        }

        if (!await decisions.DecideAsync(petition, decision, needsReason ? form.ParsedReason : null, form.Note, User, cancellationToken))
        {
            // The petition moved on meanwhile (another moderator decided first): show where it is now.
            Response.StatusCode = StatusCodes.Status409Conflict;
            var now = StatusText.Describe(t, petition.Status);
            ModelState.AddModelError("", decision switch
            {
                Decision.Approve => t["This petition can no longer be approved. Its status is now “{0}”.", now],
                Decision.Reject => t["This petition can no longer be rejected. Its status is now “{0}”.", now],
                Decision.Hide => t["This petition can no longer be hidden. Its status is now “{0}”.", now],
                _ => t["This petition can no longer be restored. Its status is now “{0}”.", now],
            });
            return View("Review", await queries.ReviewAsync(slug, form, null, cancellationToken));
        }

        return Redirect($"/admin/petitions/{slug}?done={Past(decision)}");
    }

    /// <summary>The decision as the review page's ?done= names it (a URL word, not text: the page says it in its language).</summary>
    public static string Past(Decision decision) => decision switch
    {
        Decision.Approve => "approved",
        Decision.Reject => "rejected",
        Decision.Hide => "hidden",
        _ => "restored",
    };
}

/// <summary>A petition's status as the moderators' pages name it, in the page's language.</summary>
public static class StatusText
{
    /// <summary>
    /// The status as a word ("open", «باز», "ouverte"), lower case as these pages always wrote it. The labels are the
    /// capitalized ones the rest of the site translates (resource names ignore case, so "open" cannot be a key too).
    /// </summary>
    public static string Describe(Texts t, PetitionStatus status)
    {
        ArgumentNullException.ThrowIfNull(t);
        var label = t[Of(status)];
        return label.Length == 0 ? label : char.ToLower(label[0], System.Globalization.CultureInfo.CurrentCulture) + label[1..];
    }

    /// <summary>The English resource key of the status's label.</summary>
    public static string Of(PetitionStatus status) => status switch
    {
        PetitionStatus.AwaitingModeration => "Awaiting moderation",
        PetitionStatus.Rejected => "Rejected",
        PetitionStatus.Hidden => "Hidden by the moderators",
        PetitionStatus.Draft => "Draft",
        PetitionStatus.Open => "Open",
        PetitionStatus.Closed => "Closed",
        _ => "Victory",
    };
}
