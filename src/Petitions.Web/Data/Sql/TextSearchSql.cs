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
    /// The visitor's words parsed once in every configuration ConfigFor can give, as the columns of a one-row CTE
    /// named query. {0} is the query text.
    /// </summary>
    public const string QueryColumns =
        "websearch_to_tsquery('english', {0}) AS en, websearch_to_tsquery('french', {0}) AS fr, " +
        "websearch_to_tsquery('german', {0}) AS de, websearch_to_tsquery('spanish', {0}) AS es, websearch_to_tsquery('simple', {0}) AS simple";

    /// <summary>
    /// Any of them (OR): a superset of the matches that the GIN index can find; <see cref="QueryOf"/> then keeps the
    /// rows whose own language's query matches, so stemming, phrases and "-word" follow each text's language.
    /// </summary>
    public const string AnyQuery = "(query.en || query.fr || query.de || query.es || query.simple)";

    private const string QueryCases = "WHEN 'en' THEN query.en WHEN 'fr' THEN query.fr WHEN 'de' THEN query.de WHEN 'es' THEN query.es ELSE query.simple END";

    public const string PetitionQuery = "(CASE p.language " + QueryCases + ")";

    public const string TranslationQuery = "(CASE t.language " + QueryCases + ")";

    /// <summary>The query in the language of the text shown, a translation (tr) or the petition's own (p).</summary>
    public const string ShownTextQuery = "(CASE coalesce(tr.language, p.language) " + QueryCases + ")";
}
