using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Moderation;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Signing;

public sealed class SigningController(SignHandler signing, ConfirmHandler confirming, PetitionPageQuery pages, IValidator<SignForm> validator) : Controller
{
    public const int MaxRequestBytes = 64 * 1024;

    [HttpPost("/p/{slug}/sign")]
    // The form sits on the cached petition page, the same for every anonymous visitor: no token in it.
    [TokenlessForAnonymous]
    [EnableRateLimiting(RateLimits.SignPolicy)]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes, ValueLengthLimit = MaxRequestBytes)]
    public async Task<IActionResult> Sign(string slug, [Bind(Prefix = "Form")] SignForm form, CancellationToken cancellationToken)
    {
        if (slug is null)
        {
            // A form the server cannot read (a NUL byte, say) leaves nothing bound, not even the route's slug.
            return BadRequest();
        }

        var petition = await signing.FindPetitionAsync(slug, cancellationToken, HttpContext.Language().Code);
        if (petition is null)
        {
            return NotFound();
        }

        if (!string.IsNullOrEmpty(form.Website))
        {
            // A bot filled in the hidden field: answer as if it worked, and keep nothing.
            return RedirectToAction(nameof(CheckEmail), new { slug });
        }

        if (!petition.IsAcceptingSignatures)
        {
            return await ShowClosedAsync(slug, form, cancellationToken);
        }

        if (petition.IsPaused)
        {
            return await ShowPetitionAsync(slug, form, StatusCodes.Status409Conflict, SigningPause.Message, cancellationToken);
        }

        form.PlaceOptional = petition.IsProtected;
        var result = await validator.ValidateAsync(form, cancellationToken);
        if (!result.IsValid)
        {
            ModelState.Clear();
            ModelState.AddErrors(result, "Form.");
            return await ShowPetitionAsync(slug, form, StatusCodes.Status400BadRequest, null, cancellationToken);
        }

        // The closing date can pass between the check above and the signing statement, which checks it again.
        var outcome = await signing.SignAsync(petition, form, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.Language(), cancellationToken);
        return outcome == SignOutcome.PetitionClosed
            ? await ShowClosedAsync(slug, form, cancellationToken)
            : RedirectToAction(nameof(CheckEmail), new { slug });
    }

    [HttpGet("/p/{slug}/check-your-email")]
    public async Task<IActionResult> CheckEmail(string slug, CancellationToken cancellationToken)
    {
        var petition = await signing.FindPetitionAsync(slug, cancellationToken, HttpContext.Language().Code);
        return petition is null ? NotFound() : View(petition);
    }

    [HttpGet("/s/confirm/{token}")]
    public async Task<IActionResult> Confirm(string token, CancellationToken cancellationToken)
    {
        if (!Tokens.LooksValid(token))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("ConfirmProblem", new ConfirmResult(ConfirmOutcome.Unknown));
        }

        // The link keeps the language the signer signed in: the page names the petition by its translation in it.
        var result = await confirming.ConfirmAsync(token, HttpContext.Language().Code, cancellationToken);

        switch (result.Outcome)
        {
            case ConfirmOutcome.Confirmed:
            case ConfirmOutcome.AlreadyConfirmed:
                return View("Confirmed", result);
            case ConfirmOutcome.PetitionClosed:
                Response.StatusCode = StatusCodes.Status409Conflict;
                return View("ConfirmProblem", result);
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                return View("ConfirmProblem", result);
        }
    }

    private Task<IActionResult> ShowClosedAsync(string slug, SignForm form, CancellationToken cancellationToken) =>
        ShowPetitionAsync(slug, form, StatusCodes.Status409Conflict, "This petition is closed, so it no longer accepts signatures.", cancellationToken, closed: true);

    private async Task<IActionResult> ShowPetitionAsync(string slug, SignForm form, int status, string? refusal, CancellationToken cancellationToken, bool closed = false)
    {
        var page = await pages.LoadAsync(slug, cancellationToken, language: HttpContext.Language().Code);
        if (page is null)
        {
            return NotFound();
        }

        if (closed && page.Petition.Status == PetitionStatus.Open)
        {
            // Past its closing date, before the closer has been by: show it as the closer will leave it (this copy is
            // not saved).
            page.Petition.Status = PetitionStatus.Closed;
        }

        page.Form = form;
        ViewData["Refusal"] = refusal;
        Response.StatusCode = status;
        return View("~/Features/Petitions/Show.cshtml", page);
    }
}
