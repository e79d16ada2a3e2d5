namespace Petitions.Web.Data;

public partial class Petition
{
    /// <summary>The language the organizer wrote the petition in (a site language code): sets lang and dir on its text.</summary>
    public string Language { get; set; } = "en";
}

/// <summary>An organizer's translation of a petition's title and text into another site language (never the original's).</summary>
public class PetitionTranslation
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string Language { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }

    // Rendered and sanitized like the petition's own body (PetitionText.Render).
    public required string BodyLeadHtml { get; set; }
    public string? BodyMoreHtml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }

    // Stored generated column in the translation's own text-search configuration, behind a GIN index.
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; set; } = null!;
}

/// <summary>An organizer's translation of one update's title and text into another site language.</summary>
public class PetitionUpdateTranslation
{
    public long Id { get; set; }
    public long UpdateId { get; set; }
    public required string Language { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }

    // Rendered and sanitized like the update's own body (PetitionText.ToSafeHtml).
    public required string BodyHtml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
}
