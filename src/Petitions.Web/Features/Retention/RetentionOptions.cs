using FluentValidation;

namespace Petitions.Web.Features.Retention;

/// <summary>How long personal data is kept; see README "Retention".</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Unconfirmed signatures (often typed by someone else) are deleted after this many days.</summary>
    public int UnconfirmedDays { get; set; } = 7;

    /// <summary>Signers' and downloaders' IP addresses are cut to their /24 (IPv4) or /64 (IPv6) network after this many days.</summary>
    public int IpDays { get; set; } = 30;

    /// <summary>Sent and failed emails lose their address, name and subject after this many days.</summary>
    public int OutboxDays { get; set; } = 30;

    /// <summary>Signatures are anonymized this many months after their petition closed.</summary>
    public int AnonymizeMonthsAfterClose { get; set; } = 6;

    /// <summary>false leaves the job to another process (the tests run it by hand); true by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs (hours); once a day by default.</summary>
    public double IntervalHours { get; set; } = 24;
}

public sealed class RetentionOptionsValidator : AbstractValidator<RetentionOptions>
{
    public RetentionOptionsValidator()
    {
        RuleFor(o => o.UnconfirmedDays).InclusiveBetween(1, 3650).WithMessage("Retention__UnconfirmedDays must be between 1 and 3650");
        RuleFor(o => o.IpDays).InclusiveBetween(0, 3650).WithMessage("Retention__IpDays must be between 0 and 3650");
        RuleFor(o => o.OutboxDays).InclusiveBetween(0, 3650).WithMessage("Retention__OutboxDays must be between 0 and 3650");
        RuleFor(o => o.AnonymizeMonthsAfterClose).InclusiveBetween(0, 1200)
            .WithMessage("Retention__AnonymizeMonthsAfterClose must be between 0 and 1200");
        RuleFor(o => o.IntervalHours).InclusiveBetween(0.01, 168).WithMessage("Retention__IntervalHours must be between 0.01 and 168");
    }
}
