using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Deliveries;

public sealed record StopEmailsPage(string Token, string SiteName);

/// <summary>
/// "Don't email me from this site again", the link (and List-Unsubscribe header) in every delivery email: the page
/// asks, and confirming puts the address on the suppression list. The signed token is the authority; no login.
/// </summary>
public sealed class StopEmailsController(NpgsqlDataSource dataSource, SuppressionLinks links, IOptions<SiteOptions> site) : Controller
{
    [HttpGet("/email/stop/{token}")]
    public IActionResult Ask(string token) =>
        links.Read(token) is null ? Problem() : View("StopEmails", new StopEmailsPage(token, site.Value.Name));

    [HttpPost("/email/stop/{token}/confirm")]
    public async Task<IActionResult> Confirm(string token, CancellationToken cancellationToken)
    {
        if (links.Read(token) is not { } key)
        {
            return Problem();
        }

        await EmailSuppressions.AddAsync(dataSource, key, EmailSuppressions.Complaint, cancellationToken);
        return View("StopEmailsDone", new StopEmailsPage(token, site.Value.Name));
    }

    /// <summary>RFC 8058 one-click from mail clients (List-Unsubscribe-Post): no form token; mapped in Program.cs.</summary>
    public static async Task<IResult> OneClickAsync(string token, SuppressionLinks links, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Read(token) is not { } key)
        {
            return Results.NotFound();
        }

        await EmailSuppressions.AddAsync(dataSource, key, EmailSuppressions.Complaint, cancellationToken);
        return Results.Ok();
    }

    private ViewResult Problem()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return View("StopEmailsProblem");
    }
}
