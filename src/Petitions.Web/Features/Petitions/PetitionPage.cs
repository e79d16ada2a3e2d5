using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Petitions;

public sealed record PublicResponse(string RecipientName, string? RecipientTitle, string Text, bool AcceptsDemand, DateTimeOffset PublishedAt);

public sealed record Supporter(string Name, string Country, string? Reason, DateTimeOffset SignedAt);

public sealed class PetitionPageModel
{
    public required Petition Petition { get; init; }
    public required IReadOnlyList<PetitionUpdate> Updates { get; init; }
    public required IReadOnlyList<Supporter> RecentSupporters { get; init; }

    /// <summary>A protected petition shows no names: its page lists the count by country instead, largest first.</summary>
    public IReadOnlyList<(string Country, int Count)> CountByCountry { get; init; } = [];
    public IReadOnlyList<PublicResponse> Responses { get; init; } = [];
    public SignForm Form { get; set; } = new();
    public Features.Images.PetitionImage? Image { get; init; }

    /// <summary>Moderators paused signing on this petition or site-wide: the page shows a message instead of the form.</summary>
    public bool SigningPaused { get; init; }

    /// <summary>An unpublished petition as it will look once published, with its starter's signature; the entity stays as loaded.</summary>
    public PetitionPageModel AsPublishedPreview() => new()
    {
        Petition = Petition.PreviewAsPublished(),
        Updates = Updates,
        RecentSupporters = RecentSupporters,
        CountByCountry = CountByCountry,
        Responses = Responses,
        Form = Form,
        Image = Image,
        SigningPaused = SigningPaused,
        TextLanguage = TextLanguage,
        TranslatedFrom = TranslatedFrom,
        ShowingOriginalOfTranslation = ShowingOriginalOfTranslation,
        TranslatedUpdates = TranslatedUpdates,
    };

    /// <summary>The language the title and text are shown in: the translation's, or the petition's own.</summary>
    public string TextLanguage { get; init; } = "en";

    /// <summary>The petition's own language, when a translation is shown instead of the original.</summary>
    public string? TranslatedFrom { get; init; }

    /// <summary>The page language has a translation, but the visitor asked for the original (?original=1).</summary>
    public bool ShowingOriginalOfTranslation { get; init; }

    /// <summary>The updates shown in the page's language, from the organizer's translation (their text replaced on these copies).</summary>
    public IReadOnlySet<long> TranslatedUpdates { get; init; } = new HashSet<long>();

    public int Count => Petition.SignatureCount;
    public int DisplayGoal => Goals.Display(Petition.Goal, Petition.AutomaticGoal, Count);
    public int ProgressPercent => DisplayGoal == 0 ? 0 : (int)Math.Min(100, Count * 100L / DisplayGoal);

    /// <summary>Each recipient once, with the dates the petition was delivered to them (re-deliveries add a date).</summary>
    public IEnumerable<(DeliveryRecipient Recipient, IReadOnlyList<DateTimeOffset> Dates)> DeliveredTo =>
        Petition.Deliveries.OrderBy(d => d.DeliveredAt)
            .SelectMany(d => d.Recipients.Select(r => (Delivery: d, Recipient: r)))
            .GroupBy(x => (x.Recipient.Name, x.Recipient.TitleOrOrganization))
            .Select(g => (g.First().Recipient, (IReadOnlyList<DateTimeOffset>)g.Select(x => x.Delivery.DeliveredAt).ToList()));
}

/// <summary>Loads everything the petition page shows, in a fixed number of queries whatever the petition's size.</summary>
public sealed class PetitionPageQuery(PetitionsDbContext db, Features.Moderation.SigningPause pause)
{
    /// <summary>
    /// With a <paramref name="language"/>, shows its translation when the petition has one (unless
    /// <paramref name="original"/>): this copy of the petition, never saved, carries the translated title and text, so
    /// the page, its meta tags and share links all follow.
    /// </summary>
    public async Task<PetitionPageModel?> LoadAsync(string slug, CancellationToken cancellationToken, bool includeDrafts = false, string? language = null, bool original = false)
    {
        var petition = await db.Petitions.AsNoTracking().AsSplitQuery()
            .Include(p => p.DecisionMakers.OrderBy(d => d.Position))
            .Include(p => p.Deliveries).ThenInclude(d => d.Recipients)
            .SingleOrDefaultAsync(p => p.Slug == slug && (includeDrafts || p.Status == PetitionStatus.Open || p.Status == PetitionStatus.Closed || p.Status == PetitionStatus.Victory), cancellationToken);
        if (petition is null)
        {
            return null;
        }

        var updates = await db.PetitionUpdates.AsNoTracking()
            .Where(u => u.PetitionId == petition.Id)
            .OrderByDescending(u => u.PostedAt)
            .Take(50)
            .ToListAsync(cancellationToken);

        // A protected petition's names and reasons are sealed and never shown publicly.
        var supporters = petition.Protected ? [] : await db.Signatures.AsNoTracking()
            .Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed && s.ShowPublicly && s.PublicHiddenAt == null)
            .OrderByDescending(s => s.ConfirmedAt)
            .Take(10)
            .Select(s => new Supporter(s.FullName, s.Country, s.Reason, s.ConfirmedAt ?? s.CreatedAt))
            .ToListAsync(cancellationToken);

        var responses = petition.Deliveries.Count == 0 ? [] : await db.RecipientResponses.AsNoTracking()
            .Where(r => r.PetitionId == petition.Id)
            .OrderByDescending(r => r.PublishedAt)
            .Join(db.DeliveryRecipients, r => r.DeliveryRecipientId, d => d.Id,
                (r, d) => new PublicResponse(d.Name, d.TitleOrOrganization, r.Text, r.AcceptsDemand, r.PublishedAt))
            .ToListAsync(cancellationToken);

        var image = await db.PetitionImages.AsNoTracking().Where(i => i.PetitionId == petition.Id)
            .Select(i => new Features.Images.PetitionImage { Hash = i.Hash, Width = i.Width, Height = i.Height })
            .SingleOrDefaultAsync(cancellationToken);

        var byCountry = !petition.Protected ? [] : (await db.PetitionCountryCounts.AsNoTracking()
            .Where(c => c.PetitionId == petition.Id && c.Count > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Country)
            .Select(c => new { c.Country, c.Count })
            .ToListAsync(cancellationToken)).Select(c => (c.Country, c.Count)).ToList();

        var translation = language is null || language == petition.Language ? null
            : await db.PetitionTranslations.AsNoTracking().SingleOrDefaultAsync(t => t.PetitionId == petition.Id && t.Language == language, cancellationToken);
        var originalLanguage = petition.Language;
        var translated = translation is not null && !original;
        if (translated)
        {
            Translations.TranslatedText.Apply(petition, translation!);
        }

        var translatedUpdates = language is null || language == originalLanguage || original ? new HashSet<long>()
            : await Translations.TranslatedText.ApplyToUpdatesAsync(db, updates, language, cancellationToken);

        var paused = petition.SigningPausedAt is not null || await pause.SiteWidePausedAsync(cancellationToken);
        return new PetitionPageModel
        {
            Petition = petition,
            Updates = updates,
            RecentSupporters = supporters,
            CountByCountry = byCountry,
            Responses = responses,
            Image = image,
            SigningPaused = paused,
            TextLanguage = translated ? translation!.Language : originalLanguage,
            TranslatedFrom = translated ? originalLanguage : null,
            ShowingOriginalOfTranslation = translation is not null && original,
            TranslatedUpdates = translatedUpdates,
        };
    }
}
