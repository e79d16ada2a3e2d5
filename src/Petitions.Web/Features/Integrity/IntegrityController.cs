using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Common;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Integrity;

/// <summary>Description: the search in the page's language (the audit log keeps it in English).</summary>
public sealed record SearchView(SignatureCriteria Criteria, SearchPage? Page, IHtmlContent? Description, long? Before);

public sealed record InvalidateView(SignatureCriteria Criteria, MatchCounts? Counts, IHtmlContent? Description, string? Reason);

public sealed record InvalidationsView(IReadOnlyList<Data.SignatureInvalidation> Invalidations, long? Done, bool Undone);

/// <summary>Signature search, invalidation (count, then a confirmation with a reason) and its undo by an admin.</summary>
[Authorize(Policy = AdminRoles.ModerationPolicy)]
public sealed class IntegrityController(SignatureIntegrity integrity, SignatureCriteriaValidator validator, Texts t) : Controller
{
    public const int MaxReasonLength = 2000;
    private const string SearchView = "Search";
    private const string InvalidateView = "Invalidate";

    [HttpGet("/admin/signatures")]
    public async Task<IActionResult> Search([FromQuery] SignatureCriteria criteria, [FromQuery] long? before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ModelState.Clear();
        if (criteria.IsEmpty)
        {
            return View(SearchView, new SearchView(criteria, null, null, null));
        }

        var checkedCriteria = await CheckAsync(criteria, false, cancellationToken);
        if (checkedCriteria is not var (filter, description, shown))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(SearchView, new SearchView(criteria, null, null, null));
        }

        var page = await integrity.SearchAsync(filter, before, description, User, cancellationToken);
        return View(SearchView, new SearchView(criteria, page, shown, before));
    }

    [HttpGet("/admin/signatures/invalidate")]
    public async Task<IActionResult> Invalidate([FromQuery] SignatureCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ModelState.Clear();
        if (await CheckAsync(criteria, true, cancellationToken) is not var (filter, _, shown))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(InvalidateView, new InvalidateView(criteria, null, null, null));
        }

        return View(InvalidateView, new InvalidateView(criteria, await integrity.CountAsync(filter, cancellationToken), shown, null));
    }

    [HttpPost("/admin/signatures/invalidate")]
    public async Task<IActionResult> InvalidateConfirmed([FromForm] SignatureCriteria criteria, [FromForm] string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ModelState.Clear();
        var checkedCriteria = await CheckAsync(criteria, true, cancellationToken);
        if (string.IsNullOrWhiteSpace(reason))
        {
            ModelState.AddModelError("Reason", t["Say why these signatures are invalidated"]);
        }
        else if (reason.Length > MaxReasonLength || reason.Contains('\0', StringComparison.Ordinal))
        {
            ModelState.AddModelError("Reason", t["The reason must be {0} characters or fewer", MaxReasonLength]);
        }

        if (checkedCriteria is not var (filter, description, _) || !ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            var counts = checkedCriteria is { } valid ? await integrity.CountAsync(valid.Filter, cancellationToken) : null;
            return View(InvalidateView, new InvalidateView(criteria, counts, checkedCriteria?.Shown, reason));
        }

        var invalidation = await integrity.InvalidateAsync(filter, description, reason!.Trim(), User, cancellationToken);
        return Redirect($"/admin/invalidations?done={invalidation.Id}");
    }

    [HttpGet("/admin/invalidations")]
    public async Task<IActionResult> Invalidations(long? done, bool undone, CancellationToken cancellationToken) =>
        View("Invalidations", new InvalidationsView(await integrity.RecentInvalidationsAsync(cancellationToken), done, undone));

    [HttpPost("/admin/invalidations/{id:long}/undo")]
    [Authorize(Policy = AdminRoles.AdminPolicy)]
    public async Task<IActionResult> Undo(long id, CancellationToken cancellationToken) =>
        await integrity.UndoAsync(id, User, cancellationToken) ? Redirect("/admin/invalidations?undone=true") : NotFound();

    /// <summary>Validates the criteria into ModelState; the filter and its description (for the log, and as shown) when they are usable.</summary>
    private async Task<(SignatureFilter Filter, string Description, IHtmlContent Shown)?> CheckAsync(SignatureCriteria criteria, bool forInvalidation, CancellationToken cancellationToken)
    {
        ModelState.AddErrors(validator.Validate(criteria));
        if (forInvalidation && !criteria.HasSignerCriteria)
        {
            ModelState.AddModelError("Email", t["Narrow the search first: add an email, domain, name, postcode, country, IP range or time window"]);
        }

        var (found, petitionId, slug) = await integrity.FindPetitionAsync(criteria, cancellationToken);
        if (!found)
        {
            ModelState.AddModelError("Petition", t["No petition has that address or number"]);
        }

        if (!ModelState.IsValid)
        {
            return null;
        }

        var filter = criteria.ToFilter(petitionId);
        return (filter, criteria.Describe(filter, slug), criteria.Describe(filter, slug, t));
    }
}
