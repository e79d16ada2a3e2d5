namespace Petitions.Web.Data.Sql;

/// <summary>
/// The PostgreSQL text-search configuration of each language: its stemmer where PostgreSQL has one, `simple` otherwise
/// (Persian has none in PostgreSQL 15). Written as literals so that generated columns stay immutable.
/// </summary>
public static class TextSearchSql
{
    private const string Cases =
        "WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig " +
        "WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END";

    /// <summary>A regconfig expression for the language code held in <paramref name="column"/>.</summary>
    public static string ConfigFor(string column) => $"(CASE {column} {Cases})";

    /// <summary>In the search: the configuration of the text shown, a translation (tr) or the petition's own (p).</summary>
    public const string ShownTextConfig = "(CASE coalesce(tr.language, p.language) " + Cases + ")";

    /// <summary>Title weighted A, body B, each in the row's own language.</summary>
    public static string WeightedVector(string languageColumn) =>
        $"setweight(to_tsvector({ConfigFor(languageColumn)}, coalesce(title, '')), 'A') || setweight(to_tsvector({ConfigFor(languageColumn)}, coalesce(body, '')), 'B')";

    /// <summary>
    /// The visitor's words as a query in every configuration at once (OR): a stemmed English or French word and an
    /// unstemmed Persian one all match the row written in that language. {0} is the query text.
    /// </summary>
    public const string AnyLanguageQuery =
        "(websearch_to_tsquery('english', {0}) || websearch_to_tsquery('french', {0}) || websearch_to_tsquery('simple', {0}))";
}
