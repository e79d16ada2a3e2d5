using Petitions.Web.Data;

namespace Petitions.Web.Domain;

/// <summary>
/// "Anyone may see this petition" for the widget, badge, feeds and sitemap, from the one list of public statuses
/// (<see cref="Petition.PublicStatuses"/>): drafts, petitions awaiting moderation, rejected and hidden ones never show.
/// </summary>
public static class PublicPetitions
{
    public static IQueryable<Petition> WherePublic(this IQueryable<Petition> petitions) =>
        petitions.Where(p => Petition.PublicStatuses.Contains(p.Status));
}
