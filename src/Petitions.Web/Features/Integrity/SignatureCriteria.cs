using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Html;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Moderation;
using Petitions.Web.Features.Signing;
using Petitions.Web.Localization;

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

    /// <summary>
    /// One readable line for the audit log and the list of invalidations, in English whatever the page's language, as
    /// the log keeps it (no email address: the log is read more widely).
    /// </summary>
    public string Describe(SignatureFilter filter, string? petitionSlug) =>
        string.Join(", ", Parts(filter, petitionSlug, null).Select(p => p.Value switch
        {
            null => p.Text,
            DateTimeOffset time => string.Format(CultureInfo.InvariantCulture, p.Text, time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            CountryCode country => string.Format(CultureInfo.InvariantCulture, p.Text, country.Code),
            var value => string.Format(CultureInfo.InvariantCulture, p.Text, value),
        }));

    /// <summary>The same line in the page's language, for the moderator: times in its calendar, the country by name, addresses isolated.</summary>
    public IHtmlContent Describe(SignatureFilter filter, string? petitionSlug, Texts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var parts = Parts(filter, petitionSlug, t).Select(p => p.Value switch
        {
            null => new HtmlString(System.Net.WebUtility.HtmlEncode(p.Text)),
            DateTimeOffset time => AdminText.Html(p.Text, new HtmlString($"<time datetime=\"{AdminText.Iso(time)}\">{System.Net.WebUtility.HtmlEncode(AdminText.When(time))}</time>")),
            CountryCode country => AdminText.Html(p.Text, new HtmlString(System.Net.WebUtility.HtmlEncode(CountryNames.NameOf(country.Code)))),
            var value => AdminText.Html(p.Text, AdminText.Ltr(value.ToString()!)),
        }).ToList();
        var builder = new HtmlContentBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            builder.AppendHtml(i == 0 ? HtmlString.Empty : new HtmlString(System.Net.WebUtility.HtmlEncode(t[", "])));
            builder.AppendHtml(parts[i]);
        }

        return builder;
    }

    private sealed record CountryCode(string Code);

    /// <summary>The description's parts: a text (English, or translated when <paramref name="texts"/> is given) and its value.</summary>
    private static List<(string Text, object? Value)> Parts(SignatureFilter filter, string? petitionSlug, Texts? texts)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var t = new Phrases(texts);
        var parts = new List<(string, object?)> { petitionSlug is null ? (t["every petition"], null) : (t["petition {0}"], petitionSlug) };
        if (filter.NormalizedEmail is not null)
        {
            parts.Add((t["one email address"], null));
        }

        if (filter.Domain is not null)
        {
            parts.Add((t["domain {0}"], filter.Domain));
        }

        if (filter.Name is not null)
        {
            parts.Add((t["a name"], null));
        }

        if (filter.Postcode is not null)
        {
            parts.Add((t["a postcode"], null));
        }

        if (filter.Country is not null)
        {
            parts.Add((t["country {0}"], new CountryCode(filter.Country)));
        }

        if (filter.Cidr is not null)
        {
            parts.Add((t["IP {0}"], filter.Cidr));
        }

        if (filter.From is { } from)
        {
            parts.Add((t["from {0} UTC"], from));
        }

        if (filter.To is { } to)
        {
            parts.Add((t["before {0} UTC"], to));
        }

        return parts;
    }

    /// <summary>The English text itself, or its translation: the log keeps English, the page shows its language.</summary>
    private readonly struct Phrases(Texts? texts)
    {
        public string this[string key] => texts is null ? key : texts[key];
    }
}

public sealed record SignatureFilter(long? PetitionId, string? NormalizedEmail, string? Domain, string? Name, string? Postcode, string? Cidr, DateTimeOffset? From, DateTimeOffset? To,
    string? Country = null);

public sealed class SignatureCriteriaValidator : AbstractValidator<SignatureCriteria>
{
    private static bool NoNul(string? value) => value is null || !value.Contains('\0', StringComparison.Ordinal);

    public SignatureCriteriaValidator(Texts t)
    {
        RuleFor(c => c.Petition).MaximumLength(500).WithMessage(_ => t["The petition must be its address, like {0}, or its number", AdminText.LtrText("/p/fix-the-road")]);
        RuleFor(c => c.Email).Must(e => string.IsNullOrWhiteSpace(e) || (e.Length <= SignatureCriteria.MaxLength && e.Contains('@', StringComparison.Ordinal)))
            .WithMessage(_ => t["Enter a whole email address, like {0} (or search by domain)", AdminText.LtrText("name@example.com")]);
        RuleFor(c => c.Domain).Must(d => string.IsNullOrWhiteSpace(d) || SigningBlocks.NormalizeDomain(d) is not null)
            .WithMessage(_ => t["Enter an email domain, like {0}", AdminText.LtrText("example.com")]);
        RuleFor(c => c.Name).MaximumLength(100).WithMessage(_ => t["The name must be {0} characters or fewer", 100]);
        RuleFor(c => c.Postcode).MaximumLength(100).WithMessage(_ => t["The postcode must be {0} characters or fewer", 100]);
        RuleFor(c => c.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsValid(SignatureCriteria.NormalizeCountry(c)))
            .WithMessage(_ => t["Enter a country as its two-letter code, like {0} or {1}", AdminText.LtrText("IR"), AdminText.LtrText("FR")]);
        RuleFor(c => c.Ip).Must(ip => string.IsNullOrWhiteSpace(ip) || SigningBlocks.NormalizeCidr(ip) is not null)
            .WithMessage(_ => t["Enter an IP address or CIDR range, like {0}, {1} or {2}", AdminText.LtrText("192.0.2.7"), AdminText.LtrText("192.0.2.0/24"), AdminText.LtrText("2001:db8::/32")]);
        RuleFor(c => c.From).Must(v => string.IsNullOrWhiteSpace(v) || SignatureCriteria.ParseTime(v) is not null)
            .WithMessage(_ => t["Enter the start as a date and time, like {0} (UTC)", AdminText.LtrText("2026-12-03T07:30")]);
        RuleFor(c => c.To).Must(v => string.IsNullOrWhiteSpace(v) || SignatureCriteria.ParseTime(v) is not null)
            .WithMessage(_ => t["Enter the end as a date and time, like {0} (UTC)", AdminText.LtrText("2026-12-03T08:30")]);
        RuleFor(c => c.To).Must((c, to) => SignatureCriteria.ParseTime(c.From) is not { } from || SignatureCriteria.ParseTime(to) is not { } end || end > from)
            .WithMessage(_ => t["The end must be after the start"]);
        RuleFor(c => c.Petition).Must(NoNul).WithMessage(_ => t["Remove the invisible characters from the petition"]);
        RuleFor(c => c.Email).Must(NoNul).WithMessage(_ => t["Remove the invisible characters from the email address"]);
        RuleFor(c => c.Name).Must(NoNul).WithMessage(_ => t["Remove the invisible characters from the name"]);
        RuleFor(c => c.Postcode).Must(NoNul).WithMessage(_ => t["Remove the invisible characters from the postcode"]);
    }
}
