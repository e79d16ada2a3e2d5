using System.Globalization;
using FluentValidation;
using Petitions.Web.Features.Moderation;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Integrity;

/// <summary>What a moderator types to find signatures (the search form, and the hidden fields of the invalidation form).</summary>
public sealed class SignatureCriteria
{
    public const int MaxLength = 254;

    /// <summary>The petition's address, its slug or its number; empty for every petition.</summary>
    public string? Petition { get; set; }
    public string? Email { get; set; }
    public string? Domain { get; set; }
    public string? Name { get; set; }
    public string? Postcode { get; set; }

    /// <summary>The signer's country, as its two-letter code (case ignored); it also finds protected signatures.</summary>
    public string? Country { get; set; }

    /// <summary>An IP address or a CIDR range.</summary>
    public string? Ip { get; set; }

    /// <summary>UTC, as a datetime-local input sends it (2026-12-03T07:30).</summary>
    public string? From { get; set; }
    public string? To { get; set; }

    public bool IsEmpty => new[] { Petition, Email, Domain, Name, Postcode, Country, Ip, From, To }.All(string.IsNullOrWhiteSpace);

    /// <summary>True when something narrows the search beyond the petition: an invalidation needs it.</summary>
    public bool HasSignerCriteria => new[] { Email, Domain, Name, Postcode, Country, Ip, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The country code in upper case, or null when none was given.</summary>
    public static string? NormalizeCountry(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();

    public static DateTimeOffset? ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];
        return DateTime.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero) : null;
    }

    /// <summary>The petition field as a slug or number.</summary>
    public static (string? Slug, long? Id) ParsePetition(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return (null, null);
        }

        var at = text.LastIndexOf("/p/", StringComparison.Ordinal);
        if (at >= 0)
        {
            text = text[(at + 3)..];
        }

        text = text.Split('?', '#')[0].Trim('/');
        if (text.Contains('/', StringComparison.Ordinal))
        {
            text = text[..text.IndexOf('/', StringComparison.Ordinal)];
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (null, id) : (text, null);
    }

    /// <summary>The filter, once the criteria are valid and the petition (if any) was found.</summary>
    public SignatureFilter ToFilter(long? petitionId) => new(
        petitionId,
        string.IsNullOrWhiteSpace(Email) ? null : EmailAddresses.Normalize(Email),
        string.IsNullOrWhiteSpace(Domain) ? null : SigningBlocks.NormalizeDomain(Domain),
        string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
        string.IsNullOrWhiteSpace(Postcode) ? null : Postcode.Trim(),
        string.IsNullOrWhiteSpace(Ip) ? null : SigningBlocks.NormalizeCidr(Ip),
        ParseTime(From),
        ParseTime(To),
        NormalizeCountry(Country));

    /// <summary>The criteria as a query string, for links (next page, invalidate, trending).</summary>
    public string ToQuery()
    {
        var pairs = new[] { ("petition", Petition), ("email", Email), ("domain", Domain), ("name", Name), ("postcode", Postcode), ("country", Country), ("ip", Ip), ("from", From), ("to", To) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2))
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Trim())}");
        return string.Join("&", pairs);
    }

    /// <summary>One readable line for the audit log and the list of invalidations (no email address: the log is read more widely).</summary>
    public string Describe(SignatureFilter filter, string? petitionSlug)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string> { petitionSlug is null ? "all petitions" : $"petition {petitionSlug}" };
        if (filter.NormalizedEmail is not null)
        {
            parts.Add("one email address");
        }

        if (filter.Domain is not null)
        {
            parts.Add($"domain {filter.Domain}");
        }

        if (filter.Name is not null)
        {
            parts.Add("a name");
        }

        if (filter.Postcode is not null)
        {
            parts.Add("a postcode");
        }

        if (filter.Country is not null)
        {
            parts.Add($"country {filter.Country}");
        }

        if (filter.Cidr is not null)
        {
            parts.Add($"IP {filter.Cidr}");
        }

        if (filter.From is { } from)
        {
            parts.Add($"from {from.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        }

        if (filter.To is { } to)
        {
            parts.Add($"before {to.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        }

        return string.Join(", ", parts);
    }
}

public sealed record SignatureFilter(long? PetitionId, string? NormalizedEmail, string? Domain, string? Name, string? Postcode, string? Cidr, DateTimeOffset? From, DateTimeOffset? To,
    string? Country = null);

public sealed class SignatureCriteriaValidator : AbstractValidator<SignatureCriteria>
{
    private static bool NoNul(string? value) => value is null || !value.Contains('\0', StringComparison.Ordinal);

    public SignatureCriteriaValidator()
    {
        RuleFor(c => c.Petition).MaximumLength(500).WithMessage("The petition must be its address, like /p/fix-the-road, or its number");
        RuleFor(c => c.Email).Must(e => string.IsNullOrWhiteSpace(e) || (e.Length <= SignatureCriteria.MaxLength && e.Contains('@', StringComparison.Ordinal)))
            .WithMessage("Enter a whole email address, like name@example.com (or search by domain)");
        RuleFor(c => c.Domain).Must(d => string.IsNullOrWhiteSpace(d) || SigningBlocks.NormalizeDomain(d) is not null)
            .WithMessage("Enter an email domain, like example.com");
        RuleFor(c => c.Name).MaximumLength(100).WithMessage("The name must be 100 characters or fewer");
        RuleFor(c => c.Postcode).MaximumLength(100).WithMessage("The postcode must be 100 characters or fewer");
        RuleFor(c => c.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsValid(SignatureCriteria.NormalizeCountry(c)))
            .WithMessage("Enter a country as its two-letter code, like IR or FR");
        RuleFor(c => c.Ip).Must(ip => string.IsNullOrWhiteSpace(ip) || SigningBlocks.NormalizeCidr(ip) is not null)
            .WithMessage("Enter an IP address or CIDR range, like 192.0.2.7, 192.0.2.0/24 or 2001:db8::/32");
        RuleFor(c => c.From).Must(t => string.IsNullOrWhiteSpace(t) || SignatureCriteria.ParseTime(t) is not null)
            .WithMessage("Enter the start as a date and time, like 2026-12-03T07:30 (UTC)");
        RuleFor(c => c.To).Must(t => string.IsNullOrWhiteSpace(t) || SignatureCriteria.ParseTime(t) is not null)
            .WithMessage("Enter the end as a date and time, like 2026-12-03T08:30 (UTC)");
        RuleFor(c => c.To).Must((c, to) => SignatureCriteria.ParseTime(c.From) is not { } from || SignatureCriteria.ParseTime(to) is not { } end || end > from)
            .WithMessage("The end must be after the start");
        RuleFor(c => c.Petition).Must(NoNul).WithMessage("Remove the invisible characters from the petition");
        RuleFor(c => c.Email).Must(NoNul).WithMessage("Remove the invisible characters from the email address");
        RuleFor(c => c.Name).Must(NoNul).WithMessage("Remove the invisible characters from the name");
        RuleFor(c => c.Postcode).Must(NoNul).WithMessage("Remove the invisible characters from the postcode");
    }
}
