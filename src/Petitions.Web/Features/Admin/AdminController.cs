using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Moderation;

namespace Petitions.Web.Features.Admin;

public sealed record UserRow(string Id, string? Email, string DisplayName, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles);

public sealed record UsersPage(string? Query, int Page, bool HasNext, IReadOnlyList<UserRow> Users, string? Message);

public sealed record AuditPage(string? Actor, string? Action, string? Petition, long? Before, long? NextBefore, int Total, IReadOnlyList<AuditRow> Rows);

/// <summary>Admins only: accounts and their roles, and the audit log. Nothing here edits the log.</summary>
[Authorize(Policy = AdminRoles.AdminPolicy)]
public sealed class AdminController(PetitionsDbContext db, UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, AuditLog audit, ModerationQueries queries,
    Domain.Privacy.ProtectedFields protectedFields) : Controller
{
    public const int PageSize = 50;

    /// <summary>Makes protected mode the default for new petitions (or stops it), audited. Refused without Protection__Key.</summary>
    [HttpPost("/admin/protect-new-petitions")]
    public async Task<IActionResult> ProtectNewPetitions(bool protect, CancellationToken cancellationToken)
    {
        if (protect && !protectedFields.IsAvailable)
        {
            return BadRequest();
        }

        var settings = await db.SiteSettings.SingleOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            // The migration seeds the row; a database emptied by hand (or by the tests' reset) gets it back here.
            settings = new SiteSettings();
            db.SiteSettings.Add(settings);
        }

        settings.ProtectNewPetitions = protect;
        await audit.WriteAsync(User.FindFirstValue(ClaimTypes.NameIdentifier), protect ? AuditAction.ProtectNewPetitions : AuditAction.UnprotectNewPetitions,
            AuditTarget.Site, "site", null, null, cancellationToken);
        return Redirect("/admin");
    }

    [HttpGet("/admin/users")]
    public async Task<IActionResult> Users(string? q, int page = 1, string? done = null, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, 100_000);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToUpperInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
            query = query.Where(u => EF.Functions.Like(u.NormalizedEmail!, "%" + term + "%") || EF.Functions.ILike(u.DisplayName, "%" + term + "%"));
        }

        var rows = await query.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.CreatedAt })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var userRoles = (await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken)).ToLookup(x => x.UserId, x => x.Name!);
        var list = rows.Take(PageSize).Select(r => new UserRow(r.Id, r.Email, r.DisplayName, r.CreatedAt, userRoles[r.Id].Order().ToList())).ToList();
        return View(new UsersPage(q, page, rows.Count > PageSize, list, done));
    }

    [HttpPost("/admin/users/{id}/roles")]
    public async Task<IActionResult> SetRole(string id, string? role, bool grant, string? q, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        if (role is null || !AdminRoles.All.Contains(role))
        {
            return BadRequest();
        }

        var actorId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!grant && role == AdminRoles.Admin && user.Id == actorId)
        {
            // An admin who revokes their own role could leave the site with none.
            return Redirect($"/admin/users?q={Uri.EscapeDataString(q ?? "")}&done=self");
        }

        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }

        var has = await users.IsInRoleAsync(user, role);
        if (has != grant)
        {
            var result = grant ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
            if (!result.Succeeded)
            {
                return Conflict();
            }

            // Ends the user's other sessions' old role claims at once (the security stamp is checked on every request).
            await users.UpdateSecurityStampAsync(user);
            await audit.WriteAsync(actorId, grant ? AuditAction.GrantRole : AuditAction.RevokeRole, AuditTarget.User, user.Id, null, role, cancellationToken);
        }

        return Redirect($"/admin/users?q={Uri.EscapeDataString(q ?? "")}&done={(grant ? "granted" : "revoked")}");
    }

    [HttpGet("/admin/audit")]
    public async Task<IActionResult> Audit(string? actor, [FromQuery(Name = "action")] string? auditAction, string? petition, long? before, CancellationToken cancellationToken)
    {
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var normalized = actor.Trim().ToUpperInvariant();
            var actorIds = db.Users.Where(u => u.NormalizedEmail == normalized || u.Id == actor).Select(u => u.Id);
            query = query.Where(a => a.ActorId != null && actorIds.Contains(a.ActorId));
        }

        // Not "action": that name is MVC's own route value.
        var action = auditAction;
        if (!string.IsNullOrWhiteSpace(action))
        {
            query = Enum.TryParse<AuditAction>(action, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(action[0])
                ? query.Where(a => a.Action == parsed)
                : query.Where(_ => false);
        }

        if (!string.IsNullOrWhiteSpace(petition))
        {
            var slug = petition.Trim();
            var petitionIds = db.Petitions.Where(p => p.Slug == slug).Select(p => (long?)p.Id);
            query = long.TryParse(slug, out var petitionId)
                ? query.Where(a => a.PetitionId == petitionId || petitionIds.Contains(a.PetitionId))
                : query.Where(a => petitionIds.Contains(a.PetitionId));
        }

        var total = await query.CountAsync(cancellationToken);
        var page = before is null ? query : query.Where(a => a.Id < before);
        var rows = await queries.AuditAsync(page.OrderByDescending(a => a.Id).Take(PageSize + 1), cancellationToken);
        var next = rows.Count > PageSize ? rows[PageSize - 1].Entry.Id : (long?)null;
        return View(new AuditPage(actor, action, petition, before, next, total, rows.Take(PageSize).ToList()));
    }
}
