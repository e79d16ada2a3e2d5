using System.Net;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Petitions.Web.Infrastructure;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SiteOptions
{
    public const string Section = "Site";
    public string BaseUrl { get; set; } = "";
    public string Name { get; set; } = "Petitions";
}

public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;
}

public sealed class EmailOptions
{
    public const string Section = "Email";
    public string From { get; set; } = "";
    public string FromName { get; set; } = "Petitions";
    public int BatchSize { get; set; } = 100;
    public int MaxAttempts { get; set; } = 10;
    public double PollSeconds { get; set; } = 1;

    /// <summary>Parallel senders, each with its own SMTP connection; SKIP LOCKED claims keep them apart.</summary>
    public int Senders { get; set; } = 4;

    /// <summary>How long a sender holds the rows it claimed; a crashed sender's rows go to another after this.</summary>
    public double LeaseSeconds { get; set; } = 120;
}

public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";
    public int SignPermitsPerMinute { get; set; } = 60;

    /// <summary>Emails a stranger can cause to one address in any hour (signing, registering, password resets).</summary>
    public int EmailsPerAddressPerHour { get; set; } = 5;
}

/// <summary>The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; nobody by default.</summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Comma-separated IP addresses, such as 10.0.0.2,10.0.0.3.</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Comma-separated networks in CIDR notation, such as 10.0.0.0/24.</summary>
    public string KnownNetworks { get; set; } = "";

    public IEnumerable<IPAddress> Proxies() => Items(KnownProxies).Select(a => ParseAddress(a)!);

    public IEnumerable<System.Net.IPNetwork> Networks() => Items(KnownNetworks).Select(System.Net.IPNetwork.Parse);

    public static IEnumerable<string> Items(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An address written out in full: IPAddress.Parse alone also takes "10" for 0.0.0.10.</summary>
    public static IPAddress? ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3)
            ? address
            : null;
}

/// <summary>The certificate that encrypts data-protection keys at rest; see <see cref="KeyProtection"/>.</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

public sealed class CountingOptions
{
    public const string Section = "Counting";
    public double IntervalSeconds { get; set; } = 0.5;
}

public sealed class SiteOptionsValidator : AbstractValidator<SiteOptions>
{
    public SiteOptionsValidator() =>
        RuleFor(o => o.BaseUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https"))
            .WithMessage("Site__BaseUrl must be an absolute http(s) URL, such as https://petitions.example.org");
}

public sealed class SmtpOptionsValidator : AbstractValidator<SmtpOptions>
{
    public SmtpOptionsValidator()
    {
        RuleFor(o => o.Host).NotEmpty().WithMessage("Smtp__Host is required: the SMTP server that sends the site's email");
        RuleFor(o => o.Port).InclusiveBetween(1, 65535).WithMessage("Smtp__Port must be between 1 and 65535");
        RuleFor(o => o.Security).IsInEnum().WithMessage("Smtp__Security must be None, StartTls or SslOnConnect");
        RuleFor(o => o.Password).NotEmpty().When(o => !string.IsNullOrEmpty(o.Username))
            .WithMessage("Smtp__Password is required when Smtp__Username is set");
    }
}

public sealed class EmailOptionsValidator : AbstractValidator<EmailOptions>
{
    public EmailOptionsValidator()
    {
        RuleFor(o => o.From).NotEmpty().EmailAddress().WithMessage("Email__From must be an email address, such as petitions@example.org");
        RuleFor(o => o.BatchSize).InclusiveBetween(1, 1000).WithMessage("Email__BatchSize must be between 1 and 1000");
        RuleFor(o => o.MaxAttempts).InclusiveBetween(1, 100).WithMessage("Email__MaxAttempts must be between 1 and 100");
        RuleFor(o => o.PollSeconds).InclusiveBetween(0.05, 60).WithMessage("Email__PollSeconds must be between 0.05 and 60");
        RuleFor(o => o.Senders).InclusiveBetween(1, 32).WithMessage("Email__Senders must be between 1 and 32");
        RuleFor(o => o.LeaseSeconds).InclusiveBetween(1, 3600).WithMessage("Email__LeaseSeconds must be between 1 and 3600");
    }
}

public sealed class RateLimitingOptionsValidator : AbstractValidator<RateLimitingOptions>
{
    public RateLimitingOptionsValidator()
    {
        RuleFor(o => o.SignPermitsPerMinute).GreaterThan(0).WithMessage("RateLimiting__SignPermitsPerMinute must be a positive number");
        RuleFor(o => o.EmailsPerAddressPerHour).InclusiveBetween(1, 1000).WithMessage("RateLimiting__EmailsPerAddressPerHour must be between 1 and 1000");
    }
}

public sealed class ProxyOptionsValidator : AbstractValidator<ProxyOptions>
{
    public ProxyOptionsValidator()
    {
        RuleForEach(o => ProxyOptions.Items(o.KnownProxies)).Must(a => ProxyOptions.ParseAddress(a) is not null).OverridePropertyName("KnownProxies")
            .WithMessage((_, a) => $"ForwardedHeaders__KnownProxies must be IP addresses separated by commas, such as 10.0.0.2,10.0.0.3; '{a}' is not one");
        RuleForEach(o => ProxyOptions.Items(o.KnownNetworks)).Must(n => System.Net.IPNetwork.TryParse(n, out _)).OverridePropertyName("KnownNetworks")
            .WithMessage((_, n) => $"ForwardedHeaders__KnownNetworks must be networks in CIDR notation separated by commas, such as 10.0.0.0/24; '{n}' is not one");
    }
}

public sealed class KeyProtectionOptionsValidator : AbstractValidator<KeyProtectionOptions>
{
    public KeyProtectionOptionsValidator()
    {
        RuleFor(o => o.CertificatePath).NotEmpty().When(o => !string.IsNullOrEmpty(o.CertificatePassword))
            .WithMessage("DataProtection__CertificatePath is required when DataProtection__CertificatePassword is set");
        RuleFor(o => o).Custom((o, context) =>
        {
            if (string.IsNullOrWhiteSpace(o.CertificatePath))
            {
                return;
            }

            var (certificate, error) = KeyProtection.Load(o);
            certificate?.Dispose();
            if (error is not null)
            {
                context.AddFailure("CertificatePath", error);
            }
        });
    }
}

public sealed class CountingOptionsValidator : AbstractValidator<CountingOptions>
{
    public CountingOptionsValidator() =>
        RuleFor(o => o.IntervalSeconds).InclusiveBetween(0.05, 2).WithMessage("Counting__IntervalSeconds must be between 0.05 and 2");
}

/// <summary>Runs a FluentValidation validator as an options validator, so bad settings stop start-up.</summary>
public sealed class FluentOptionsValidator<T>(IValidator<T> validator) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var result = validator.Validate(options);
        return result.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(result.Errors.Select(e => e.ErrorMessage));
    }
}

public static class OptionsRegistration
{
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidator<TOptions>
    {
        services.AddSingleton<IValidator<TOptions>, TValidator>();
        services.AddSingleton<IValidateOptions<TOptions>, FluentOptionsValidator<TOptions>>();
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        return services;
    }
}
