using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Translations;

/// <summary>Which text of a petition a page shows, and how it says so.</summary>
public static class TranslatedText
{
    /// <summary>The query string that asks for the original text: part of the page's URL, so the page stays cacheable.</summary>
    public const string OriginalQuery = "original";

    public static bool WantsOriginal(string? value) => value is "1" or "true";

    /// <summary>Puts the translation's title and text on this (untracked, never saved) copy of the petition.</summary>
    public static void Apply(Petition petition, PetitionTranslation translation)
    {
        ArgumentNullException.ThrowIfNull(petition);
        ArgumentNullException.ThrowIfNull(translation);
        petition.Title = translation.Title;
        petition.Body = translation.Body;
        petition.BodyLeadHtml = translation.BodyLeadHtml;
        petition.BodyMoreHtml = translation.BodyMoreHtml;
    }

    /// <summary>A new translation, its text rendered and sanitized like the petition's own (PetitionText.Render).</summary>
    public static PetitionTranslation Create(long petitionId, string language, string title, string body, DateTimeOffset at)
    {
        var (lead, more) = Petitions.PetitionText.Render(body);
        return new PetitionTranslation
        {
            PetitionId = petitionId,
            Language = language,
            Title = title,
            Body = body,
            BodyLeadHtml = lead,
            BodyMoreHtml = more,
            CreatedAt = at,
        };
    }

    /// <summary>Replaces an existing translation's title and text, rendered as <see cref="Create"/> renders them.</summary>
    public static void Edit(PetitionTranslation translation, string title, string body, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(translation);
        (translation.BodyLeadHtml, translation.BodyMoreHtml) = Petitions.PetitionText.Render(body);
        translation.Title = title;
        translation.Body = body;
        translation.EditedAt = at;
    }

    /// <summary>Puts each update's translation into <paramref name="language"/>, where there is one, on these (untracked) copies; returns their ids.</summary>
    public static async Task<HashSet<long>> ApplyToUpdatesAsync(PetitionsDbContext db, IReadOnlyList<PetitionUpdate> updates, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return [];
        }

        var ids = updates.Select(u => u.Id).ToList();
        var translations = await db.PetitionUpdateTranslations.AsNoTracking()
            .Where(t => ids.Contains(t.UpdateId) && t.Language == language)
            .ToDictionaryAsync(t => t.UpdateId, cancellationToken);
        foreach (var update in updates)
        {
            if (translations.TryGetValue(update.Id, out var translation))
            {
                update.Title = translation.Title;
                update.Body = translation.Body;
                update.BodyHtml = translation.BodyHtml;
            }
        }

        return [.. translations.Keys];
    }

    /// <summary>A new translation of an update, its text rendered and sanitized like the update's own.</summary>
    public static PetitionUpdateTranslation CreateForUpdate(long updateId, string language, string title, string body, DateTimeOffset at) => new()
    {
        UpdateId = updateId,
        Language = language,
        Title = title,
        Body = body,
        BodyHtml = Petitions.PetitionText.ToSafeHtml(body),
        CreatedAt = at,
    };

    public static void EditForUpdate(PetitionUpdateTranslation translation, string title, string body, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(translation);
        translation.Title = title;
        translation.Body = body;
        translation.BodyHtml = Petitions.PetitionText.ToSafeHtml(body);
        translation.EditedAt = at;
    }

    /// <summary>"rtl" for a right-to-left language code (fa, ar, he…), "ltr" otherwise.</summary>
    public static string Dir(string language)
    {
        try
        {
            return System.Globalization.CultureInfo.GetCultureInfo(language).TextInfo.IsRightToLeft ? "rtl" : "ltr";
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            return "ltr";
        }
    }

    /// <summary>A language's name in the page's language ("Persian", «فارسی», « persan »).</summary>
    public static string LanguageName(Texts t, string language)
    {
        ArgumentNullException.ThrowIfNull(t);
        return language switch
        {
            "en" => t["English"],
            "fa" => t["Persian"],
            "fr" => t["French"],
            _ => Language.For(language).NativeName,
        };
    }

    /// <summary>"Translated from Persian", in the page's language.</summary>
    public static string TranslatedFrom(Texts t, string language)
    {
        ArgumentNullException.ThrowIfNull(t);
        return language switch
        {
            "en" => t["Translated from English"],
            "fa" => t["Translated from Persian"],
            "fr" => t["Translated from French"],
            _ => t["Translated from {0}", Language.For(language).NativeName],
        };
    }

    /// <summary>Saves a created or edited translation (of a petition or an update) and evicts the pages that show it.</summary>
    public static async Task SaveAsync(PetitionsDbContext db, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore pageCache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pageCache);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Saved twice at once (a double click): the other request's translation stands.
        }

        await pageCache.EvictByTagAsync(Petitions.PetitionsController.PagePolicy, cancellationToken);
    }
}

/// <summary>Titles of petitions in one language, for cards and lists: the translation where there is one.</summary>
public sealed class TranslatedTitles(PetitionsDbContext db)
{
    public async Task<IReadOnlyDictionary<long, PetitionTranslation>> ForAsync(IReadOnlyCollection<long> petitionIds, string language, CancellationToken cancellationToken)
    {
        if (petitionIds.Count == 0)
        {
            return new Dictionary<long, PetitionTranslation>();
        }

        var ids = petitionIds.Distinct().ToList();
        return await db.PetitionTranslations.AsNoTracking()
            .Where(t => ids.Contains(t.PetitionId) && t.Language == language)
            .ToDictionaryAsync(t => t.PetitionId, cancellationToken);
    }
}
