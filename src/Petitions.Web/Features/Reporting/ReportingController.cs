using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Reporting;

public sealed record ReportPageModel(Petition Petition, ReportForm Form);

/// <summary>"Report this petition": no account needed; antiforgery, a honeypot and the per-address form rate limit apply.</summary>
public sealed class ReportingController(PetitionsDbContext db, ReportHandler handler, ReportFormValidator validator) : Controller
{
    [HttpGet("/p/{slug}/report")]
    public async Task<IActionResult> Report(string slug, CancellationToken cancellationToken)
    {
        var petition = await FindAsync(slug, cancellationToken);
        return petition is null ? NotFound() : View(new ReportPageModel(petition, new ReportForm()));
    }

    [HttpPost("/p/{slug}/report")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Report(string slug, [Bind(Prefix = "Form")] ReportForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var petition = await FindAsync(slug, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        if (!ModelState.Validate(validator, form, "Form."))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new ReportPageModel(petition, form));
        }

        // A bot that filled in the hidden field sees the same thanks, and nothing is stored.
        if (string.IsNullOrEmpty(form.Website))
        {
            await handler.SubmitAsync(petition, form.ParsedReason!.Value, form.Details, form.Email, RateLimits.ClientKey(HttpContext), cancellationToken);
        }

        return View("Reported", petition);
    }

    private Task<Petition?> FindAsync(string slug, CancellationToken cancellationToken) =>
        db.Petitions.AsNoTracking().SingleOrDefaultAsync(
            p => p.Slug == slug && (p.Status == PetitionStatus.Open || p.Status == PetitionStatus.Closed || p.Status == PetitionStatus.Victory), cancellationToken);
}
