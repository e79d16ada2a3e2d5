using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Features.Browse;

public sealed record SearchHit(
    long Id,
    string Slug,
    string TitleHtml,
    string StarterName,
    string Category,
    PetitionStatus Status,
    int SignatureCount,
    string SnippetHtml,
    string Language = "en");

public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, int Page, bool HasNext);

/// <summary>
/// Full-text search over the stored, weighted search_vector (title A, body B), ranked with ts_rank_cd so title
/// matches outrank body-only ones. Offsets are bounded (MaxPage): ranking has to score every match anyway, and nobody
/// reads result page 500.
/// </summary>
public sealed class SearchQuery(PetitionsDbContext db)
{
    public const int PageSize = 20;
    public const int MaxPage = 50;
    public const int MaxQueryLength = 200;

    // ts_headline marks matches with private-use characters that cannot come from the text (they are stripped first);
    // the snippet is HTML-encoded afterwards and only then are the markers turned into <mark> tags.
    private const char Start = '\uE000';
    private const char Stop = '\uE001';
    private const string Markers = "\uE000\uE001";
    private const string TitleOptions = "HighlightAll=true, StartSel=\uE000, StopSel=\uE001";
    private const string BodyOptions = "MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \", StartSel=\uE000, StopSel=\uE001";

    /// <summary>Trims the query and removes characters PostgreSQL rejects (NUL) or that would only confuse it.</summary>
    private const int MaxWords = 32;

    public static string Normalize(string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return "";
        }

        var cleaned = new string(q.Where(c => !char.IsControl(c) && !char.IsSurrogate(c) && c is not Start and not Stop).ToArray()).Trim();
        cleaned = cleaned.Length <= MaxQueryLength ? cleaned : cleaned[..MaxQueryLength].Trim();
        // PostgreSQL's tsquery parser overflows its stack on hundreds of operators ("- - - …"); nobody searches with more
        // than a few dozen words.
        return string.Join(' ', cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxWords));
    }

    public async Task<SearchResults> SearchAsync(string q, int page, CancellationToken cancellationToken, string? language = null)
    {
        page = Math.Clamp(page, 1, MaxPage);
        var rows = await Query(q, page, language).ToListAsync(cancellationToken);

        var hits = rows.Take(PageSize).Select(r => new SearchHit(
            r.Id, r.Slug, ToHtml(r.TitleMarked), r.StarterName, r.Category,
            Enum.TryParse<PetitionStatus>(r.Status, out var status) ? status : PetitionStatus.Open,
            r.SignatureCount, ToHtml(Collapse(r.SnippetMarked)), r.Language)).ToList();
        return new SearchResults(hits, page, rows.Count > PageSize && page < MaxPage);
    }

    /// <summary>One page of hits (plus one, to know if there is another), highlighted with markers.</summary>
    internal IQueryable<SearchRow> Query(string q, int page, string? language = null)
    {
        var skip = (Math.Clamp(page, 1, MaxPage) - 1) * PageSize;
        var take = PageSize + 1;

        return db.Database.SqlQueryRaw<SearchRow>(PetitionSql.Search, q, skip, take, Markers, TitleOptions, BodyOptions, language ?? "");
    }

    /// <summary>Encodes everything, then turns only our own markers into &lt;mark&gt; elements.</summary>
    public static string ToHtml(string marked)
    {
        var encoded = WebUtility.HtmlEncode(marked);
        var html = new System.Text.StringBuilder(encoded.Length + 32);
        var open = false;
        foreach (var c in encoded)
        {
            if (c == Start && !open)
            {
                html.Append("<mark>");
                open = true;
            }
            else if (c == Stop && open)
            {
                html.Append("</mark>");
                open = false;
            }
            else if (c is not Start and not Stop)
            {
                html.Append(c);
            }
        }

        if (open)
        {
            html.Append("</mark>");
        }

        return html.ToString();
    }

    // Bodies are Markdown; strong/emphasis markers are noise in a one-line snippet.
    private static string Collapse(string text) =>
        string.Join(' ', text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal sealed record SearchRow(
        long Id,
        string Slug,
        string StarterName,
        string Category,
        string Status,
        int SignatureCount,
        string Language,
        string TitleMarked,
        string SnippetMarked);
}
