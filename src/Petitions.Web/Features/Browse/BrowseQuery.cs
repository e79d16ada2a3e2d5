using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Browse;

public sealed record BrowseItem(
    long Id,
    string Slug,
    string Title,
    string StarterName,
    string Category,
    PetitionStatus Status,
    int SignatureCount,
    int Goal,
    bool AutomaticGoal,
    string Excerpt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ClosesAt,
    string? ImageHash = null,
    string Language = "en")
{
    public int DisplayGoal => Goals.Display(Goal, AutomaticGoal, SignatureCount);
}

/// <summary>What a listing request asks for, after unknown values have been normalized.</summary>
public sealed record BrowseFilter(BrowseStatus Status, string? Category, BrowseSort Sort);

public sealed record BrowsePage(IReadOnlyList<BrowseItem> Items, BrowseCursor? Next, BrowseCursor? Previous);

/// <summary>
/// The /petitions listing. Pagination is keyset ("seek") pagination rather than OFFSET: each page continues from the
/// last row's (sort key, id), so PostgreSQL walks the (status, sort key, id) index from that point and reads only one
/// page of rows, however deep the reader goes; OFFSET would read and discard every earlier row. The id makes the order
/// total, so no row is shown twice or skipped between pages. Counts change while people read, so a petition that gains
/// signatures can move across a page boundary; that is the usual trade-off of a live ranking.
/// </summary>
/// <para>With a <c>language</c>, each petition that has a translation into it is listed with the translation's title and text.</para>
public sealed class BrowseQuery(PetitionsDbContext db, string? language = null)
{
    public const int PageSize = 20;
    private const int ExcerptSource = 600;
    private const int ExcerptLength = 180;

    public async Task<BrowsePage> LoadAsync(BrowseFilter filter, BrowseCursor? after, BrowseCursor? before, CancellationToken cancellationToken)
    {
        if (before is not null)
        {
            var earlier = await FetchAsync(filter, before, backwards: true, cancellationToken);
            if (earlier.Count > PageSize)
            {
                var items = earlier.Take(PageSize).Reverse().ToList();
                return new BrowsePage(items, BrowseCursor.For(filter.Sort, items[^1]), BrowseCursor.For(filter.Sort, items[0]));
            }

            // Fewer than a page before the cursor: that is the first page, so show it in full.
            after = null;
        }

        var rows = await FetchAsync(filter, after, backwards: false, cancellationToken);
        var page = rows.Take(PageSize).ToList();
        var next = rows.Count > PageSize ? BrowseCursor.For(filter.Sort, page[^1]) : null;
        var previous = after is null ? null : page.Count > 0 ? BrowseCursor.For(filter.Sort, page[0]) : after;
        return new BrowsePage(page, next, previous);
    }

    /// <summary>Categories that have at least one listed petition, for the filter.</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<string>(PetitionSql.Categories).ToListAsync(cancellationToken);

    private async Task<List<BrowseItem>> FetchAsync(BrowseFilter filter, BrowseCursor? cursor, bool backwards, CancellationToken cancellationToken)
    {
        var rows = await Query(filter, cursor, backwards).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new BrowseItem(
            r.Id, r.Slug, r.Title, r.StarterName, r.Category, r.Status, r.SignatureCount, r.Goal, r.AutomaticGoal,
            PetitionText.Excerpt(r.Body, ExcerptLength), r.PublishedAt, r.ClosesAt, r.ImageHash, r.Language));
    }

    /// <summary>One page (plus one row, to know if there is another) in the given direction from the cursor.</summary>
    internal IQueryable<BrowseRow> Query(BrowseFilter filter, BrowseCursor? cursor, bool backwards)
    {
        var query = db.Petitions.AsNoTracking();
        if (filter.Status == BrowseStatus.All)
        {
            // Every published petition: open, closed and won (never drafts).
            query = query.Where(p => p.Status == PetitionStatus.Open || p.Status == PetitionStatus.Closed || p.Status == PetitionStatus.Victory);
        }
        else
        {
            var status = filter.Status switch
            {
                BrowseStatus.Closed => PetitionStatus.Closed,
                BrowseStatus.Victory => PetitionStatus.Victory,
                _ => PetitionStatus.Open,
            };
            query = query.Where(p => p.Status == status);
        }

        if (filter.Category is not null)
        {
            query = query.Where(p => p.Category == filter.Category);
        }

        // A cursor from another sort does not position this one; the caller rejects it before we get here.
        if (cursor is not null && cursor.Sort != filter.Sort)
        {
            cursor = null;
        }

        // Row-value comparisons ((key, id) < (k, i)) let PostgreSQL start the index scan at the cursor.
        switch (filter.Sort)
        {
            case BrowseSort.Newest:
                // Every listed petition has been published; a row without PublishedAt would break the keyset order.
                query = query.Where(p => p.PublishedAt != null);
                if (cursor is not null)
                {
                    var at = cursor.KeyAsTime;
                    var id = cursor.Id;
                    query = backwards
                        ? query.Where(p => EF.Functions.GreaterThan(ValueTuple.Create(p.PublishedAt, p.Id), ValueTuple.Create((DateTimeOffset?)at, id)))
                        : query.Where(p => EF.Functions.LessThan(ValueTuple.Create(p.PublishedAt, p.Id), ValueTuple.Create((DateTimeOffset?)at, id)));
                }

                query = backwards
                    ? query.OrderBy(p => p.PublishedAt).ThenBy(p => p.Id)
                    : query.OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id);
                break;

            case BrowseSort.ClosingSoon:
                query = query.Where(p => p.ClosesAt != null);
                if (cursor is not null)
                {
                    var at = cursor.KeyAsTime;
                    var id = cursor.Id;
                    query = backwards
                        ? query.Where(p => EF.Functions.LessThan(ValueTuple.Create(p.ClosesAt, p.Id), ValueTuple.Create((DateTimeOffset?)at, id)))
                        : query.Where(p => EF.Functions.GreaterThan(ValueTuple.Create(p.ClosesAt, p.Id), ValueTuple.Create((DateTimeOffset?)at, id)));
                }

                query = backwards
                    ? query.OrderByDescending(p => p.ClosesAt).ThenByDescending(p => p.Id)
                    : query.OrderBy(p => p.ClosesAt).ThenBy(p => p.Id);
                break;

            default:
                if (cursor is not null)
                {
                    var count = (int)cursor.Key;
                    var id = cursor.Id;
                    query = backwards
                        ? query.Where(p => EF.Functions.GreaterThan(ValueTuple.Create(p.SignatureCount, p.Id), ValueTuple.Create(count, id)))
                        : query.Where(p => EF.Functions.LessThan(ValueTuple.Create(p.SignatureCount, p.Id), ValueTuple.Create(count, id)));
                }

                query = backwards
                    ? query.OrderBy(p => p.SignatureCount).ThenBy(p => p.Id)
                    : query.OrderByDescending(p => p.SignatureCount).ThenByDescending(p => p.Id);
                break;
        }

        return query
            .Take(PageSize + 1)
            .Select(p => new BrowseRow(
                p.Id,
                p.Slug,
                db.PetitionTranslations.Where(t => t.PetitionId == p.Id && t.Language == language).Select(t => t.Title).FirstOrDefault() ?? p.Title,
                p.StarterName,
                p.Category,
                p.Status,
                p.SignatureCount,
                p.Goal,
                p.AutomaticGoal,
                (db.PetitionTranslations.Where(t => t.PetitionId == p.Id && t.Language == language).Select(t => t.Body).FirstOrDefault() ?? p.Body).Substring(0, ExcerptSource),
                p.PublishedAt,
                p.ClosesAt,
                db.PetitionImages.Where(i => i.PetitionId == p.Id).Select(i => i.Hash).FirstOrDefault(),
                db.PetitionTranslations.Where(t => t.PetitionId == p.Id && t.Language == language).Select(t => t.Language).FirstOrDefault() ?? p.Language));
    }
}

internal sealed record BrowseRow(
    long Id,
    string Slug,
    string Title,
    string StarterName,
    string Category,
    PetitionStatus Status,
    int SignatureCount,
    int Goal,
    bool AutomaticGoal,
    string Body,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ClosesAt,
    string? ImageHash,
    string Language);
