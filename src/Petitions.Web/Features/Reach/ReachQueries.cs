using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Domain;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Reach;

public sealed record WidgetModel(string Slug, string Title, string StarterName, PetitionStatus Status, int Count, int Goal, bool AutomaticGoal, string? ImageHash, int ImageWidth, int ImageHeight)
{
    public int DisplayGoal => Goals.Display(Goal, AutomaticGoal, Count);
    public int ProgressPercent => DisplayGoal == 0 ? 0 : (int)Math.Min(100, Count * 100L / DisplayGoal);
}

public sealed record FeedPetition(string Slug, string Title, string Body, string StarterName, string Category, DateTimeOffset PublishedAt, DateTimeOffset? EditedAt);

public sealed record SitemapEntry(string Slug, DateTimeOffset LastModified);

public sealed class ReachQueries(PetitionsDbContext db)
{
    public const int FeedSize = 50;

    // One sitemap file holds at most 50,000 addresses (sitemaps.org).
    public const int SitemapLimit = 49_000;

    public Task<WidgetModel?> WidgetAsync(string slug, CancellationToken cancellationToken) =>
        db.Petitions.AsNoTracking().WherePublic().Where(p => p.Slug == slug)
            .Select(p => new
            {
                p,
                Image = db.PetitionImages.Where(i => i.PetitionId == p.Id).Select(i => new { i.Hash, i.Width, i.Height }).FirstOrDefault(),
            })
            .Select(x => new WidgetModel(x.p.Slug, x.p.Title, x.p.StarterName, x.p.Status, x.p.SignatureCount, x.p.Goal, x.p.AutomaticGoal,
                x.Image == null ? null : x.Image.Hash, x.Image == null ? 0 : x.Image.Width, x.Image == null ? 0 : x.Image.Height))
            .SingleOrDefaultAsync(cancellationToken);

    public Task<List<FeedPetition>> NewPetitionsAsync(string? category, CancellationToken cancellationToken)
    {
        var query = db.Petitions.AsNoTracking().WherePublic().Where(p => p.PublishedAt != null);
        if (category is not null)
        {
            query = query.Where(p => p.Category == category);
        }

        return query.OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).Take(FeedSize)
            .Select(p => new FeedPetition(p.Slug, p.Title, p.Body.Substring(0, 2000), p.StarterName, p.Category, p.PublishedAt!.Value, p.EditedAt))
            .ToListAsync(cancellationToken);
    }

    public Task<Petition?> PublicPetitionAsync(string slug, CancellationToken cancellationToken) =>
        db.Petitions.AsNoTracking().WherePublic().SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);

    public Task<List<PetitionUpdate>> UpdatesAsync(long petitionId, CancellationToken cancellationToken) =>
        db.PetitionUpdates.AsNoTracking().Where(u => u.PetitionId == petitionId)
            .OrderByDescending(u => u.PostedAt).ThenByDescending(u => u.Id).Take(FeedSize).ToListAsync(cancellationToken);

    /// <summary>Every public petition with the last time its page changed, newest petitions first.</summary>
    public async IAsyncEnumerable<SitemapEntry> SitemapAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = db.Petitions.AsNoTracking().WherePublic()
            .OrderByDescending(p => p.Id)
            .Take(SitemapLimit)
            .Select(p => new
            {
                p.Slug,
                p.CreatedAt,
                p.PublishedAt,
                p.EditedAt,
                p.ClosedAt,
                p.VictoryAt,
                LastUpdate = db.PetitionUpdates.Where(u => u.PetitionId == p.Id).Max(u => (DateTimeOffset?)u.PostedAt),
            })
            .AsAsyncEnumerable();
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            DateTimeOffset?[] times = [r.PublishedAt, r.EditedAt, r.ClosedAt, r.VictoryAt, r.LastUpdate];
            yield return new SitemapEntry(r.Slug, times.Max() ?? r.CreatedAt);
        }
    }
}
