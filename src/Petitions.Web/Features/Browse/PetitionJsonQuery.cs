using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Browse;

/// <summary>Loads /p/{slug}.json in a fixed number of queries: the petition, its people, its counts per country and its translations.</summary>
public sealed class PetitionJsonQuery(PetitionsDbContext db)
{
    public async Task<PetitionJson?> LoadAsync(string slug, SiteLinks links, CancellationToken cancellationToken)
    {
        var petition = await db.Petitions.AsNoTracking().AsSplitQuery()
            .Include(p => p.DecisionMakers.OrderBy(d => d.Position))
            .Include(p => p.Deliveries.OrderBy(d => d.DeliveredAt)).ThenInclude(d => d.Recipients.OrderBy(r => r.Id))
            .Where(p => p.Slug == slug && (p.Status == PetitionStatus.Open || p.Status == PetitionStatus.Closed || p.Status == PetitionStatus.Victory))
            .SingleOrDefaultAsync(cancellationToken);
        if (petition is null)
        {
            return null;
        }

        // Kept by CountingWorker with signatureCount, so the two agree and no request groups the signatures.
        var byCountry = await db.PetitionCountryCounts.AsNoTracking()
            .Where(c => c.PetitionId == petition.Id && c.Count > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Country)
            .Select(c => new { c.Country, c.Count })
            .ToListAsync(cancellationToken);

        var translations = await db.PetitionTranslations.AsNoTracking()
            .Where(t => t.PetitionId == petition.Id)
            .OrderBy(t => t.Language)
            .Select(t => new TranslationJson(t.Language, t.Title, t.Body))
            .ToListAsync(cancellationToken);

        return new PetitionJson(
            petition.Id,
            petition.Slug,
            petition.Title,
            BrowseNames.Status(petition.Status),
            petition.SignatureCount,
            Goals.Display(petition.Goal, petition.AutomaticGoal, petition.SignatureCount),
            links.Petition(petition.Slug),
            petition.StarterName,
            petition.Category,
            petition.CreatedAt,
            petition.PublishedAt,
            petition.ClosedAt,
            petition.DecisionMakers.ConvertAll(d => new PersonJson(d.Name, d.TitleOrOrganization)),
            petition.Deliveries.ConvertAll(d => new DeliveryJson(
                d.DeliveredAt, d.SignatureCount, d.Recipients.ConvertAll(r => new PersonJson(r.Name, r.TitleOrOrganization)))),
            byCountry.ConvertAll(c => new CountryCountJson(c.Country, Countries.NameOf(c.Country), c.Count)))
        {
            Language = petition.Language,
            Translations = translations,
        };
    }
}
