using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Organize;

namespace Petitions.Web.Features.Dashboard;

/// <summary>
/// The organizer's dashboard: their petitions (and, for an admin, everyone's), one petition's numbers and charts,
/// and the CSV export. Someone else's petition is a 404, as everywhere under /dashboard.
/// </summary>
[Authorize]
public sealed partial class DashboardController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    NpgsqlDataSource dataSource,
    SignatureCsv csv,
    ILogger<DashboardController> logger,
    TimeProvider clock,
    Localization.Texts t,
    Domain.Privacy.ProtectedFields protectedFields) : Controller
{
    private DashboardQueries Queries => new(db, dataSource, t, protectedFields);

    [HttpGet("/dashboard")]
    public async Task<IActionResult> Index(string? show, string? status, long? before, long? after, CancellationToken cancellationToken)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var isAdmin = User.IsInRole(ManagedPetitions.AdminRole);
        var view = isAdmin && string.Equals(show, "all", StringComparison.OrdinalIgnoreCase) ? DashboardView.All : DashboardView.Mine;
        PetitionStatus? statusFilter = Enum.TryParse<PetitionStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
        var page = await Queries.ListAsync(view == DashboardView.All ? null : userId, statusFilter, before, after, cancellationToken);
        var mine = await Queries.CountOwnedAsync(userId, cancellationToken);
        return View(new DashboardIndexModel
        {
            View = view,
            IsAdmin = isAdmin,
            Page = page,
            StatusFilter = statusFilter,
            MyPetitionCount = mine,
        });
    }

    [HttpGet("/dashboard/p/{slug}")]
    public async Task<IActionResult> Petition(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var isOwner = petition.OwnerId is not null && petition.OwnerId == User.FindFirstValue(ClaimTypes.NameIdentifier);
        return View(await Queries.LoadAsync(petition, isOwner, clock.GetUtcNow(), cancellationToken));
    }

    [HttpGet("/dashboard/p/{slug}/export.csv")]
    public async Task<IActionResult> Export(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var id = petition.Id;
        Response.Headers.CacheControl = "no-store";
        return new SignatureCsvResult(csv, id, null, SignatureColumns.Organizer, SignatureCsv.FileName(petition.Slug, clock.GetUtcNow()),
            rows => LogExported(id, rows), rows => LogExportAborted(id, rows));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {RowCount} signatures of petition {PetitionId}")]
    private partial void LogExported(long petitionId, int rowCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of petition {PetitionId} stopped after {RowCount} signatures: the client went away")]
    private partial void LogExportAborted(long petitionId, int rowCount);
}
