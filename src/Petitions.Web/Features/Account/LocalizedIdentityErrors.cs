using Microsoft.AspNetCore.Identity;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Account;

/// <summary>Identity's own error messages, in the page's language, worded like the site's other form messages.</summary>
public sealed class LocalizedIdentityErrors(Texts t) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), t["Something went wrong. Try again"]);

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), t["Your account was changed at the same time elsewhere. Try again"]);

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), t["The current password is wrong"]);

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), t["This link has expired or was already used. Ask for a new one"]);

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), t["Enter an email address in the correct format, like name@example.com"]);

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), t["Enter an email address in the correct format, like name@example.com"]);

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), t["An account with this email address already exists"]);

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), t["An account with this email address already exists"]);

    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), t["This account already has a password"]);

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), t["Password must be at least {0} characters", length]);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), t["Password must use at least {0} different characters", uniqueChars]);

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), t["Password must have at least one character that is not a letter or digit"]);

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), t["Password must have at least one digit"]);

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), t["Password must have at least one lowercase letter"]);

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), t["Password must have at least one uppercase letter"]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
