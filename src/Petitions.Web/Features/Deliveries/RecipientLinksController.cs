using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// What a recipient reaches through the link in their email, without an account: the download page, the CSV and PDF
/// lists, and the response form. The route parameter is named "token" so the request log shows the route, not the link.
/// </summary>
[RedactRequestPath]
public sealed partial class RecipientLinksController(
    PetitionsDbContext db,
    RecipientLinks links,
    DeliveryHandler handler,
    FullListRequests fullLists,
    SignatureCsv csv,
    SignatureListPdf pdf,
    PdfGate gate,
    ResponseFormValidator validator,
    DeliveryLanguage deliveryLanguage,
    IOptions<SiteOptions> site,
    ILogger<RecipientLinksController> logger) : Controller
{
    private const string Views = "Recipient/";

    [HttpGet("/d/{token}")]
    public async Task<IActionResult> Show(string token, bool responded, bool asked, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        var page = await PageAsync(token, link, null, responded, cancellationToken);
        page.JustAsked = asked && link.Recipient!.FullListRequestedAt is not null;
        return Page("Download", page);
    }

    /// <summary>Asks the organizer for the full list of a delivery made as initials only; asking again changes nothing.</summary>
    [HttpPost("/d/{token}/full-list")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> AskForFullList(string token, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        var asked = await fullLists.RequestAsync(link, cancellationToken);
        return Redirect(asked ? $"/d/{token}?asked=true" : $"/d/{token}");
    }

    [HttpGet("/d/{token}/signatures.csv")]
    public async Task<IActionResult> Csv(string token, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        await handler.RecordDownloadAsync(link, "csv", HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        Private();
        var (petitionId, recipientId) = (link.Petition!.Id, link.Recipient!.Id);
        return new SignatureCsvResult(csv, petitionId, link.Delivery!.DeliveredAt, SignatureColumns.Recipient, SignatureCsv.FileName(link.Petition.Slug),
            rows => LogCsv(petitionId, recipientId, rows), _ => LogCsvAborted(petitionId, recipientId),
            deliveryLanguage.CsvHeader(deliveryLanguage.Of(link.Delivery)), link.Delivery.FullListReleasedAt is not null);
    }

    [HttpGet("/d/{token}/signatures.pdf")]
    public async Task<IActionResult> Pdf(string token, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        var petition = link.Petition!;
        var decisionMakers = await db.DecisionMakers.AsNoTracking().Where(d => d.PetitionId == petition.Id).OrderBy(d => d.Position)
            .Select(d => d.TitleOrOrganization == null || d.TitleOrOrganization == "" ? d.Name : d.Name + ", " + d.TitleOrOrganization)
            .ToListAsync(cancellationToken);
        var cover = new PdfCover(petition.Id, petition.Title, petition.Body, petition.StarterName, decisionMakers,
            link.Recipient!.Name, link.Recipient.TitleOrOrganization, link.Delivery!.DeliveredAt, link.Delivery.CoverMessage,
            handler.PetitionUrl(petition), site.Value.Name, deliveryLanguage.PdfLabels(deliveryLanguage.Of(link.Delivery)), MerkleRoot: link.Delivery.MerkleRoot,
            FullListReleased: link.Delivery.FullListReleasedAt is not null);

        // Built in full before sending, so a failure shows an error page instead of a cut-off file, and the download
        // has a length; the temporary file goes away when the response has been sent.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"petitions-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await pdf.WriteAsync(cover, file, cancellationToken);
            }
            finally
            {
                gate.Release();
            }

            file.Position = 0;
            await handler.RecordDownloadAsync(link, "pdf", HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            Private();
            return File(file, "application/pdf", SignatureListPdf.FileName(petition.Slug));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    [HttpGet("/d/{token}/respond")]
    public async Task<IActionResult> Respond(string token, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        var page = await PageAsync(token, link, null, false, cancellationToken);
        if (page.Response is { } existing)
        {
            page.Form.Text = existing.Text;
            page.Form.AcceptsDemand = existing.AcceptsDemand ? "yes" : "no";
        }

        return Page("Respond", page);
    }

    [HttpPost("/d/{token}/respond")]
    [RequestSizeLimit(64 * 1024)]
    public async Task<IActionResult> Respond(string token, [Bind(Prefix = "Form")] ResponseForm form, CancellationToken cancellationToken)
    {
        var link = await links.FindAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Problem(link);
        }

        if (!await ModelState.ValidateAsync(validator, form, "Form.", cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page("Respond", await PageAsync(token, link, form, false, cancellationToken));
        }

        await handler.RespondAsync(link, form, cancellationToken);
        return Redirect($"/d/{token}?responded=true");
    }

    private async Task<RecipientPage> PageAsync(string token, RecipientLink link, ResponseForm? form, bool responded, CancellationToken cancellationToken) => new()
    {
        Token = token,
        Petition = link.Petition!,
        Delivery = link.Delivery!,
        Recipient = link.Recipient!,
        Response = await db.RecipientResponses.AsNoTracking().SingleOrDefaultAsync(r => r.DeliveryRecipientId == link.Recipient!.Id, cancellationToken),
        Form = form ?? new ResponseForm(),
        JustResponded = responded,
    };

    private ViewResult Page(string view, object model)
    {
        Private();
        return View(Views + view, model);
    }

    private ViewResult Problem(RecipientLink link)
    {
        Private();
        Response.StatusCode = link.StatusCode;
        return View(Views + "LinkProblem", link);
    }

    /// <summary>Pages behind a personal link are neither cached nor indexed.</summary>
    private void Private()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CSV list of petition {PetitionId} for recipient {RecipientId}: {RowCount} signatures")]
    private partial void LogCsv(long petitionId, long recipientId, int rowCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "CSV list of petition {PetitionId} for recipient {RecipientId} stopped: the client went away")]
    private partial void LogCsvAborted(long petitionId, long recipientId);
}

/// <summary>Limits how many PDFs are built at once: each holds its document in memory until it is saved.</summary>
public sealed class PdfGate : IDisposable
{
    private readonly SemaphoreSlim semaphore = new(2, 2);

    public Task WaitAsync(CancellationToken cancellationToken) => semaphore.WaitAsync(cancellationToken);

    public void Release() => semaphore.Release();

    public void Dispose() => semaphore.Dispose();
}
