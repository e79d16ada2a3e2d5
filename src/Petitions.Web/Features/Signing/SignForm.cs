using System.Text.RegularExpressions;
using FluentValidation;

namespace Petitions.Web.Features.Signing;

public sealed class SignForm
{
    public string? FullName { get; set; }
    public string? Email { get; set; }
    public string? Country { get; set; }
    public string? PostcodeOrCity { get; set; }
    public string? Reason { get; set; }
    public bool ShowPublicly { get; set; } = true;
    public bool EmailUpdates { get; set; }
    public bool ShareEmailWithOrganizer { get; set; }

    // Honeypot: hidden from people, filled in by naive bots.
    public string? Website { get; set; }
}

public sealed partial class SignFormValidator : AbstractValidator<SignForm>
{
    public SignFormValidator()
    {
        RuleFor(f => f.FullName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your full name")
            .Must(v => v!.Trim().Length <= 100).WithMessage("Full name must be 100 characters or fewer")
            .Must(v => !UrlPattern().IsMatch(v!)).WithMessage("Full name must not contain a web address")
            .Must(v => !HasControlCharacters(v!)).WithMessage("Full name must not contain special characters");
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your email address")
            .Must(v => v!.Trim().Length <= 254).WithMessage("Email address must be 254 characters or fewer")
            .Must(v => EmailAddresses.IsWellFormed(v!.Trim())).WithMessage("Enter an email address in the correct format, like name@example.com");
        RuleFor(f => f.Country).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Select your country")
            .Must(Countries.IsValid).WithMessage("Select your country from the list");
        RuleFor(f => f.PostcodeOrCity).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your postcode or city")
            .Must(v => v!.Trim().Length <= 100).WithMessage("Postcode or city must be 100 characters or fewer")
            .Must(v => !HasControlCharacters(v!)).WithMessage("Postcode or city must not contain special characters");
        RuleFor(f => f.Reason).Cascade(CascadeMode.Stop)
            .Must(v => v is null || v.Trim().Length <= 1000).WithMessage("Reason for signing must be 1,000 characters or fewer")
            .Must(v => v is null || !HasControlCharacters(v, allowLineBreaks: true)).WithMessage("Reason for signing must not contain special characters");
    }

    // People don't type control characters; bots do, and they would end up on the public page and in delivered lists.
    private static bool HasControlCharacters(string value, bool allowLineBreaks = false) =>
        value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\r' or '\n' or '\t'));

    [GeneratedRegex(@"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|io|ru|info|biz|xyz|top|ly)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
