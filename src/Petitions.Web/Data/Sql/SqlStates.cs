namespace Petitions.Web.Data.Sql;

/// <summary>The enums' names as quoted SQL literals, so that a state is spelled once: in its enum.</summary>
public static class SqlStates
{
    public const string Draft = $"'{nameof(PetitionStatus.Draft)}'";
    public const string Open = $"'{nameof(PetitionStatus.Open)}'";
    public const string Closed = $"'{nameof(PetitionStatus.Closed)}'";
    public const string Victory = $"'{nameof(PetitionStatus.Victory)}'";

    public const string AwaitingModeration = $"'{nameof(PetitionStatus.AwaitingModeration)}'";
    public const string Hidden = $"'{nameof(PetitionStatus.Hidden)}'";

    /// <summary>The statuses a visitor may see, as a SQL list: "p.status IN " + Public.</summary>
    public const string Public = $"({Open}, {Closed}, {Victory})";

    public const string Pending = $"'{nameof(SignatureState.Pending)}'";
    public const string Confirmed = $"'{nameof(SignatureState.Confirmed)}'";
    public const string Invalidated = $"'{nameof(SignatureState.Invalidated)}'";
    public const string Withdrawn = $"'{nameof(SignatureState.Withdrawn)}'";
}
