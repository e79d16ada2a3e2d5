using FluentValidation;

namespace Petitions.Web.Features.Integrity;

/// <summary>The trending job's thresholds; see README "Signature integrity".</summary>
public sealed class IntegrityOptions
{
    public const string Section = "Integrity";

    /// <summary>Signatures on one petition within an hour from one address, or one /24 (IPv4) or /64 (IPv6) network, above which it is trending.</summary>
    public int TrendingIpPerHour { get; set; } = 20;

    /// <summary>Signatures on one petition within an hour from one email domain above which it is trending.</summary>
    public int TrendingDomainPerHour { get; set; } = 200;

    /// <summary>How often the trending job looks (seconds).</summary>
    public double TrendingIntervalSeconds { get; set; } = 60;

    /// <summary>false leaves the job to another process (tests run it themselves).</summary>
    public bool TrendingEnabled { get; set; } = true;

    /// <summary>Comma-separated mail providers that many real signers share, never reported as trending domains.</summary>
    public string CommonMailDomains { get; set; } =
        "gmail.com,googlemail.com,outlook.com,hotmail.com,live.com,msn.com,yahoo.com,ymail.com,icloud.com,me.com,mac.com,"
        + "aol.com,proton.me,protonmail.com,gmx.com,gmx.de,gmx.net,web.de,mail.ru,yandex.ru,yahoo.co.uk,hotmail.co.uk,"
        + "btinternet.com,orange.fr,free.fr,laposte.net,wanadoo.fr,sfr.fr,yahoo.fr,hotmail.fr,live.fr,outlook.fr";

    public string[] CommonMailDomainList() =>
        CommonMailDomains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.ToLowerInvariant()).Distinct().ToArray();
}

public sealed class IntegrityOptionsValidator : AbstractValidator<IntegrityOptions>
{
    public IntegrityOptionsValidator()
    {
        RuleFor(o => o.TrendingIpPerHour).InclusiveBetween(1, 1_000_000).WithMessage("Integrity__TrendingIpPerHour must be between 1 and 1000000");
        RuleFor(o => o.TrendingDomainPerHour).InclusiveBetween(1, 1_000_000).WithMessage("Integrity__TrendingDomainPerHour must be between 1 and 1000000");
        RuleFor(o => o.TrendingIntervalSeconds).InclusiveBetween(1, 3600).WithMessage("Integrity__TrendingIntervalSeconds must be between 1 and 3600");
        RuleFor(o => o.CommonMailDomains).NotNull().MaximumLength(10_000).WithMessage("Integrity__CommonMailDomains must be a comma-separated list of domains");
    }
}
