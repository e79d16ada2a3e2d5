using Microsoft.AspNetCore.Http;

namespace Petitions.Web.Features.Browse;

/// <summary>
/// The listing's query string, parsed leniently: unknown statuses and sorts fall back to the defaults (with a note),
/// because old links and hand-typed URLs should still show something. Only a bad cursor is refused (400): silently
/// restarting from page one would hand API clients duplicate rows.
/// </summary>
public sealed record BrowseRequest(BrowseFilter Filter, BrowseCursor? After, BrowseCursor? Before, string? Problem, IReadOnlyList<string> Notes)
{
    public const int MaxCategoryLength = 60;

    public static BrowseRequest Parse(string? status, string? category, string? sort, string? after, string? before)
    {
        var notes = new List<string>();

        var parsedStatus = BrowseNames.ParseStatus(status);
        if (parsedStatus is null && !string.IsNullOrWhiteSpace(status))
        {
            notes.Add("That status isn't one we know, so open petitions are shown.");
        }

        var parsedSort = BrowseNames.ParseSort(sort);
        if (parsedSort is null && !string.IsNullOrWhiteSpace(sort))
        {
            notes.Add("That sort order isn't one we know, so the most signed petitions come first.");
        }

        var filterStatus = parsedStatus ?? BrowseStatus.Open;
        var filterSort = parsedSort ?? BrowseSort.MostSigned;
        if (filterSort == BrowseSort.ClosingSoon && filterStatus != BrowseStatus.Open)
        {
            notes.Add("\"Closing soon\" applies only to open petitions, so the most signed come first.");
            filterSort = BrowseSort.MostSigned;
        }

        var trimmedCategory = category?.Trim();
        if (string.IsNullOrEmpty(trimmedCategory) || trimmedCategory.Length > MaxCategoryLength || trimmedCategory.Contains('\0', StringComparison.Ordinal))
        {
            trimmedCategory = null;
        }

        var filter = new BrowseFilter(filterStatus, trimmedCategory, filterSort);

        string? problem = null;
        BrowseCursor? afterCursor = null, beforeCursor = null;
        if (!string.IsNullOrEmpty(after))
        {
            afterCursor = BrowseCursor.TryDecode(after);
            problem = afterCursor is null || afterCursor.Sort != filterSort ? BadCursor : null;
        }
        else if (!string.IsNullOrEmpty(before))
        {
            beforeCursor = BrowseCursor.TryDecode(before);
            problem = beforeCursor is null || beforeCursor.Sort != filterSort ? BadCursor : null;
        }

        return problem is null
            ? new BrowseRequest(filter, afterCursor, beforeCursor, null, notes)
            : new BrowseRequest(filter, null, null, problem, notes);
    }

    private const string BadCursor = "That page link isn't valid for this list (it may be from a different sort order). Start again from the first page.";

    /// <summary>The query string for this filter, leaving out defaults so links stay short.</summary>
    public static QueryString Query(BrowseFilter filter, BrowseCursor? after = null, BrowseCursor? before = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (filter.Status != BrowseStatus.Open)
        {
            pairs.Add(new("status", BrowseNames.Name(filter.Status)));
        }

        if (filter.Category is not null)
        {
            pairs.Add(new("category", filter.Category));
        }

        if (filter.Sort != BrowseSort.MostSigned)
        {
            pairs.Add(new("sort", BrowseNames.Name(filter.Sort)));
        }

        if (after is not null)
        {
            pairs.Add(new("after", after.Encode()));
        }
        else if (before is not null)
        {
            pairs.Add(new("before", before.Encode()));
        }

        return QueryString.Create(pairs);
    }
}
