namespace Petitions.Web.Features.Browse;

public enum BrowseStatus
{
    Open,
    Closed,
    Victory,
    All,
}

public enum BrowseSort
{
    MostSigned,
    Newest,
    ClosingSoon,
}

/// <summary>The query-string names of statuses and sorts, so links, forms and the JSON API agree.</summary>
public static class BrowseNames
{
    public static readonly IReadOnlyList<(BrowseStatus Value, string Name, string Label)> Statuses =
    [
        (BrowseStatus.Open, "open", "Open"),
        (BrowseStatus.Closed, "closed", "Closed"),
        (BrowseStatus.Victory, "victory", "Victories"),
        (BrowseStatus.All, "all", "All"),
    ];

    public static readonly IReadOnlyList<(BrowseSort Value, string Name, string Label)> Sorts =
    [
        (BrowseSort.MostSigned, "most-signed", "Most signed"),
        (BrowseSort.Newest, "newest", "Newest"),
        (BrowseSort.ClosingSoon, "closing-soon", "Closing soon"),
    ];

    public static string Name(BrowseStatus status) => Statuses.First(s => s.Value == status).Name;

    public static string Name(BrowseSort sort) => Sorts.First(s => s.Value == sort).Name;

    public static BrowseStatus? ParseStatus(string? value)
    {
        var trimmed = value?.Trim();
        foreach (var s in Statuses)
        {
            if (string.Equals(s.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return s.Value;
            }
        }

        // Tolerate the plural that people type by hand.
        return string.Equals(trimmed, "victories", StringComparison.OrdinalIgnoreCase) ? BrowseStatus.Victory : null;
    }

    public static BrowseSort? ParseSort(string? value)
    {
        var trimmed = value?.Trim();
        foreach (var s in Sorts)
        {
            if (string.Equals(s.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return s.Value;
            }
        }

        return null;
    }

    public static string Status(Data.PetitionStatus status) => status switch
    {
        Data.PetitionStatus.Open => "open",
        Data.PetitionStatus.Closed => "closed",
        Data.PetitionStatus.Victory => "victory",
        _ => "draft",
    };
}
