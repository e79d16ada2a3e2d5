using System.Text.RegularExpressions;
using FluentValidation;
using Petitions.Web.Features.Common;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Signing;

public sealed class SignForm
{
    // Cleaned as bound, so every rule and the saved row see the same text (TypedText).
    public string? FullName { get; set => field = TypedText.Clean(value); }
    public string? Email { get; set => field = TypedText.Clean(value); }
    public string? Country { get; set; }
    public string? PostcodeOrCity { get; set => field = TypedText.Clean(value); }
    public string? Reason { get; set => field = TypedText.Clean(value); }
    public bool ShowPublicly { get; set; }
    public bool EmailUpdates { get; set; }
    public bool ShareEmailWithOrganizer { get; set; }

    // Set by the controller, never bound: a protected petition does not ask for a place.
    [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
    public bool PlaceOptional { get; set; }

    // Honeypot: hidden from people, filled in by naive bots.
    public string? Website { get; set; }
}

public sealed partial class SignFormValidator : AbstractValidator<SignForm>
{
    public SignFormValidator(Texts t)
    {
        RuleFor(f => f.FullName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your full name"])
            .Must(v => v!.Trim().Length <= 100).WithMessage(_ => t["Full name must be 100 characters or fewer"])
            .Must(v => !UrlPattern().IsMatch(v!)).WithMessage(_ => t["Full name must not contain a web address"])
            .Must(v => !HasControlCharacters(v!)).WithMessage(_ => t["Full name must not contain special characters"]);
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your email address"])
            .Must(v => v!.Trim().Length <= 254).WithMessage(_ => t["Email address must be 254 characters or fewer"])
            .Must(v => EmailAddresses.HasAsciiLocalPart(v!.Trim())).WithMessage(_ => t[EmailAddresses.NonAsciiLocalPartMessage])
            .Must(v => EmailAddresses.IsWellFormed(v!.Trim())).WithMessage(_ => t["Enter an email address in the correct format, like name@example.com"]);
        RuleFor(f => f.Country).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Select your country"])
            .Must(Countries.IsValid).WithMessage(_ => t["Select your country from the list"]);
        RuleFor(f => f.PostcodeOrCity)
            .Must(v => !string.IsNullOrWhiteSpace(v)).When(f => !f.PlaceOptional).WithMessage(_ => t["Enter your postcode or city"]);
        RuleFor(f => f.PostcodeOrCity).Cascade(CascadeMode.Stop)
            .Must(v => v is null || v.Trim().Length <= 100).WithMessage(_ => t["Postcode or city must be 100 characters or fewer"])
            .Must(v => v is null || !HasControlCharacters(v)).WithMessage(_ => t["Postcode or city must not contain special characters"]);
        RuleFor(f => f.Reason).Cascade(CascadeMode.Stop)
            .Must(v => v is null || v.Trim().Length <= 1000).WithMessage(_ => t["Reason for signing must be 1,000 characters or fewer"])
            .Must(v => v is null || !HasControlCharacters(v, allowLineBreaks: true)).WithMessage(_ => t["Reason for signing must not contain special characters"]);
    }

    // People don't type control characters; bots do, and they would end up on the public page and in delivered lists.
    private static bool HasControlCharacters(string value, bool allowLineBreaks = false) =>
        value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\r' or '\n' or '\t'));

    [GeneratedRegex(@"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|io|ru|info|biz|xyz|top|ly)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
