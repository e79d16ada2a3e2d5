namespace Petitions.Web.Features.Browse;

// Shapes of the public JSON API. They hold only what the petition page already shows: never emails or tokens.

public sealed record PersonJson(string Name, string? TitleOrOrganization);

public sealed record DeliveryJson(DateTimeOffset DeliveredAt, int SignatureCount, IReadOnlyList<PersonJson> Recipients);

public sealed record CountryCountJson(string Country, string Name, int Count);

public sealed record PetitionJson(
    long Id,
    string Slug,
    string Title,
    string Status,
    int SignatureCount,
    int Goal,
    string Url,
    string Starter,
    string Category,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<PersonJson> DecisionMakers,
    IReadOnlyList<DeliveryJson> Deliveries,
    IReadOnlyList<CountryCountJson> SignaturesByCountry)
{
    /// <summary>The language the petition was written in (a site language code, such as "en" or "fa").</summary>
    public string Language { get; init; } = "en";

    /// <summary>The organizer's translations of the title and text (Markdown), one per language.</summary>
    public IReadOnlyList<TranslationJson> Translations { get; init; } = [];
}

public sealed record TranslationJson(string Language, string Title, string Body);

public sealed record PetitionListItemJson(
    long Id,
    string Slug,
    string Title,
    string Status,
    int SignatureCount,
    int Goal,
    string Url,
    string JsonUrl,
    string Starter,
    string Category,
    string Excerpt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ClosesAt);

public sealed record ListLinksJson(string Self, string? Next, string? Prev);

public sealed record PetitionListJson(IReadOnlyList<PetitionListItemJson> Data, ListLinksJson Links);

public sealed record ErrorJson(string Error, string Message);
