using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Organize;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// The organizer's side of delivery: pick decision makers, write a cover message, preview the email, deliver; then
/// follow downloads and responses, and revoke links. Someone else's petition is a 404, as everywhere under /dashboard.
/// </summary>
[Authorize]
public sealed class DeliveriesController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    DeliveryHandler handler,
    FullListRequests fullLists,
    DeliverFormValidator validator,
    IOptions<DeliveryOptions> options,
    UserManager<ApplicationUser> users,
    Localization.Texts t,
    TimeProvider clock) : Controller
{
    public const int MaxRequestBytes = 64 * 1024;

    [HttpGet("/dashboard/p/{slug}/deliver")]
    public async Task<IActionResult> Deliver(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var form = new DeliverForm
        {
            Recipients = petition.DecisionMakers.Select(d => new RecipientChoice
            {
                DecisionMakerId = d.Id,
                Selected = !string.IsNullOrWhiteSpace(d.Email),
                Email = d.Email,
            }).ToList(),
        };
        return Form(await PageAsync(petition, Normalize(petition, form), cancellationToken));
    }

    [HttpPost("/dashboard/p/{slug}/deliver/preview")]
    [RequestSizeLimit(MaxRequestBytes)]
    public async Task<IActionResult> Preview(string slug, [Bind(Prefix = "Form")] DeliverForm form, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var page = await PageAsync(petition, Normalize(petition, form), cancellationToken);
        if (!Check(page))
        {
            return Form(page);
        }

        var (content, attached) = await handler.PreviewAsync(petition, page.Form, page.Suppressed, cancellationToken);
        return View("Preview", page with { Preview = new EmailPreview(content.Subject, EmailBody(content.Html), attached) });
    }

    [HttpPost("/dashboard/p/{slug}/deliver")]
    [RequestSizeLimit(MaxRequestBytes)]
    public async Task<IActionResult> Deliver(string slug, [Bind(Prefix = "Form")] DeliverForm form, string? command, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var page = await PageAsync(petition, Normalize(petition, form), cancellationToken);
        if (command == "change")
        {
            return Form(page);
        }

        // The preview's hidden fields could have been changed, or the petition edited since: check everything again.
        if (!Check(page))
        {
            return Form(page);
        }

        var delivery = await handler.DeliverAsync(petition, page.Form, User, cancellationToken);
        if (delivery is null)
        {
            // Another delivery (or a suppression) got in first: the page says what stands in the way now.
            page = await PageAsync(petition, page.Form, cancellationToken);
            Check(page);
            return Form(page);
        }

        return Redirect($"/dashboard/p/{petition.Slug}/deliveries?delivered={delivery.Id}");
    }

    [HttpGet("/dashboard/p/{slug}/deliveries")]
    public async Task<IActionResult> Deliveries(string slug, long? delivered, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var deliveries = await db.Deliveries.AsNoTracking().Include(d => d.Recipients.OrderBy(r => r.Id))
            .Where(d => d.PetitionId == petition.Id)
            .OrderByDescending(d => d.DeliveredAt).ThenByDescending(d => d.Id)
            .ToListAsync(cancellationToken);
        var recipientIds = deliveries.SelectMany(d => d.Recipients).Select(r => r.Id).ToList();
        var responses = await db.RecipientResponses.AsNoTracking()
            .Where(r => recipientIds.Contains(r.DeliveryRecipientId))
            .ToDictionaryAsync(r => r.DeliveryRecipientId, cancellationToken);
        var downloads = await db.DownloadLogs.AsNoTracking()
            .Where(l => recipientIds.Contains(l.DeliveryRecipientId))
            .GroupBy(l => l.DeliveryRecipientId)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);

        return View(new DeliveriesPage
        {
            Petition = petition,
            JustDelivered = delivered,
            Now = clock.GetUtcNow(),
            IsOwner = petition.OwnerId is not null && petition.OwnerId == users.GetUserId(User),
            Deliveries = deliveries.Select(d => new DeliveryRow(d, d.Recipients
                .Select(r => new RecipientRow(r, responses.GetValueOrDefault(r.Id), downloads.GetValueOrDefault(r.Id)))
                .ToList())).ToList(),
        });
    }

    [HttpPost("/dashboard/p/{slug}/deliveries/recipients/{recipientId:long}/revoke")]
    public async Task<IActionResult> Revoke(string slug, long recipientId, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var recipient = await db.DeliveryRecipients
            .Where(r => r.Id == recipientId && db.Deliveries.Any(d => d.Id == r.DeliveryId && d.PetitionId == petition.Id))
            .SingleOrDefaultAsync(cancellationToken);
        if (recipient is null)
        {
            return NotFound();
        }

        recipient.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Redirect($"/dashboard/p/{petition.Slug}/deliveries#recipient-{recipient.Id}");
    }

    /// <summary>Releases the full list of a delivery made as initials only: the petition's owner alone may, and a second release changes nothing.</summary>
    [HttpPost("/dashboard/p/{slug}/deliveries/{deliveryId:long}/release-full-list")]
    public async Task<IActionResult> ReleaseFullList(string slug, long deliveryId, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        return await fullLists.ReleaseAsync(petition, deliveryId, User, cancellationToken) switch
        {
            ReleaseOutcome.NotFound => NotFound(),
            ReleaseOutcome.Forbidden => StatusCode(StatusCodes.Status403Forbidden),
            _ => Redirect($"/dashboard/p/{petition.Slug}/deliveries#delivery-{deliveryId}"),
        };
    }

    private async Task<DeliverPage> PageAsync(Petition petition, DeliverForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var allowance = await handler.AllowanceAsync(petition, users.GetUserId(User) ?? "", clock.GetUtcNow(), cancellationToken);
        return new DeliverPage
        {
            Petition = petition,
            Form = form,
            ConfirmedCount = allowance.Confirmed,
            LinkDays = options.Value.LinkDays,
            Allowance = allowance,
            Suppressed = await handler.SuppressedAsync(form, cancellationToken),
        };
    }

    /// <summary>Whether the posted form may be previewed or delivered; otherwise ModelState says why.</summary>
    private bool Check(DeliverPage page)
    {
        if (!page.CanDeliver)
        {
            return false;
        }

        if (page.Allowance.Refusal(t) is { } refusal)
        {
            ModelState.AddModelError(DeliverPage.RefusalKey, refusal);
            return false;
        }

        var result = validator.Validate(page.Form);
        ModelState.AddErrors(result, "Form.");
        if (!result.IsValid)
        {
            return false;
        }

        if (page.Form.Picked.All(r => page.Suppressed.Contains(r.DecisionMakerId)))
        {
            ModelState.AddModelError("Form.Recipients", t["None of the addresses you picked can be emailed. Pick another decision maker, or enter a different address"]);
            return false;
        }

        return true;
    }

    private ViewResult Form(DeliverPage page)
    {
        if (!page.CanDeliver)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        else if (!ModelState.IsValid)
        {
            Response.StatusCode = page.Allowance is { EnoughSignatures: true, WithinDailyLimit: false }
                ? StatusCodes.Status429TooManyRequests
                : StatusCodes.Status400BadRequest;
        }

        return View("Deliver", page);
    }

    /// <summary>
    /// One row per decision maker of the petition, in its order, with what was posted for them. Rows posted for
    /// anyone else are dropped, and names always come from the database.
    /// </summary>
    private static DeliverForm Normalize(Petition petition, DeliverForm posted)
    {
        var byId = new Dictionary<long, RecipientChoice>();
        foreach (var row in posted.Recipients ?? [])
        {
            byId.TryAdd(row.DecisionMakerId, row);
        }

        return new DeliverForm
        {
            CoverMessage = posted.CoverMessage,
            Recipients = petition.DecisionMakers.Select(d => byId.TryGetValue(d.Id, out var row)
                ? new RecipientChoice { DecisionMakerId = d.Id, Selected = row.Selected, Email = row.Email, Name = d.Name, TitleOrOrganization = d.TitleOrOrganization }
                : new RecipientChoice { DecisionMakerId = d.Id, Selected = false, Email = d.Email, Name = d.Name, TitleOrOrganization = d.TitleOrOrganization })
                .ToList(),
        };
    }

    /// <summary>The email's own content, without its document wrapper or inline styles (the site's CSP forbids them).</summary>
    private static string EmailBody(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll("[style]"))
        {
            element.RemoveAttribute("style");
        }

        return document.Body?.InnerHtml ?? "";
    }
}
