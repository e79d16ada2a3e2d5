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

    /// <summary>Every configuration ConfigFor can give, as a regconfig[] literal: the search parses the query once in each.</summary>
    public const string Configs = "ARRAY['english', 'french', 'german', 'spanish', 'simple']::regconfig[]";

    public const string PetitionConfig = "(CASE p.language " + Cases + ")";

    public const string TranslationConfig = "(CASE t.language " + Cases + ")";
}
