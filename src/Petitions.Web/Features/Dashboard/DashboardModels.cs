using Petitions.Web.Data;

namespace Petitions.Web.Features.Dashboard;

public sealed record DashboardPetition(
    long Id,
    string Slug,
    string Title,
    string StarterName,
    PetitionStatus Status,
    int SignatureCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt);

/// <summary>One page of a list ordered newest first; the cursors are petition ids for the previous and next pages.</summary>
public sealed record DashboardPage(IReadOnlyList<DashboardPetition> Items, long? NewerThan, long? OlderThan);

public enum DashboardView
{
    Mine,
    All,
}

public sealed class DashboardIndexModel
{
    public required DashboardView View { get; init; }
    public required bool IsAdmin { get; init; }
    public required DashboardPage Page { get; init; }
    public PetitionStatus? StatusFilter { get; init; }
    public required int MyPetitionCount { get; init; }

    public string Link(long? before = null, long? after = null)
    {
        var query = new List<string>();
        if (View == DashboardView.All)
        {
            query.Add("show=all");
        }

        if (StatusFilter is { } status)
        {
            query.Add("status=" + status.ToString().ToLowerInvariant());
        }

        if (before is { } b)
        {
            query.Add("before=" + b.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (after is { } a)
        {
            query.Add("after=" + a.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return "/dashboard" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }
}

public sealed record SignatureFunnel(int Pending, int Confirmed)
{
    public int Total => Pending + Confirmed;

    /// <summary>The share of people who signed that went on to confirm by email, or null before anyone signed.</summary>
    public double? ConfirmationRate => Total == 0 ? null : Confirmed * 100.0 / Total;
}

public sealed record RecentSigner(string Name, string PostcodeOrCity, string Country, DateTimeOffset ConfirmedAt, string? Reason, bool ShowPublicly);

public sealed record UpdateSummary(string Title, DateTimeOffset PostedAt);

public sealed class PetitionDashboardModel
{
    public required Petition Petition { get; init; }
    public required SignatureFunnel Funnel { get; init; }
    public required SignatureTimeline? Timeline { get; init; }
    public required IReadOnlyList<CountryShare> Countries { get; init; }
    public required IReadOnlyList<RecentSigner> RecentSigners { get; init; }
    public required IReadOnlyList<UpdateSummary> Updates { get; init; }
    public required bool IsOwner { get; init; }

    public string Slug => Petition.Slug;

    public bool CanClose => Petition.CanClose;

    public bool CanDeclareVictory => Petition.CanDeclareVictory;

    public bool CanDeliver => Petition.CanDeliver;

    public bool IsDraft => Petition.Status == PetitionStatus.Draft;

    public bool HasEnoughForVictory => Petition.HasEnoughSignaturesForVictory(Funnel.Confirmed);

    /// <summary>Closed, won or delivered: the text stays as signed (see OrganizeController's edit lock).</summary>
    public bool IsTextLocked => Petition.Status is PetitionStatus.Closed or PetitionStatus.Victory || IsDelivered;

    public bool IsDelivered { get; init; }
}
