namespace Petitions.Web.Features.Admin;

/// <summary>The Identity roles of the people who run the site, and the authorization policies built on them.</summary>
public static class AdminRoles
{
    public const string Admin = "Admin";
    public const string Moderator = "Moderator";

    public static readonly IReadOnlyList<string> All = [Admin, Moderator];

    /// <summary>Moderators and admins: the moderation queue, reports and decisions.</summary>
    public const string ModerationPolicy = "moderation";

    /// <summary>Admins only: roles and the audit log.</summary>
    public const string AdminPolicy = "admin";
}
