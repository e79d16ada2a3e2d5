using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;

namespace Petitions.Web.Domain;

/// <summary>
/// Finds a petition the current user may manage: their own, or any for an admin. Anyone else gets null, which
/// callers turn into a 404 so that other people's petitions are not even confirmed to exist.
/// </summary>
public sealed class ManagedPetitions(PetitionsDbContext db)
{
    public const string AdminRole = Features.Admin.AdminRoles.Admin;

    public Task<Petition?> FindAsync(string slug, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var isAdmin = user.IsInRole(AdminRole);
        return db.Petitions.Include(p => p.DecisionMakers.OrderBy(d => d.Position))
            .SingleOrDefaultAsync(p => p.Slug == slug && (isAdmin || (userId != null && p.OwnerId == userId)), cancellationToken);
    }
}
