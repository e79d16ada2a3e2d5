using FluentValidation;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Account;

public sealed class RegisterForm
{
    public string? DisplayName { get; set => field = Common.TypedText.Clean(value); }
    public string? Email { get; set => field = Common.TypedText.Clean(value); }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
}

public sealed class LoginForm
{
    public string? Email { get; set; }
    public string? Password { get; set; }
    public bool RememberMe { get; set; }
    public string? ReturnUrl { get; set; }
}

public sealed class ForgotPasswordForm
{
    public string? Email { get; set; }
}

public sealed class ResetPasswordForm
{
    public string? UserId { get; set; }
    public string? Code { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
}

public sealed class ChangePasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }
}

public sealed class DeleteAccountForm
{
    public string? Password { get; set; }
}

internal static class AccountRules
{
    public const int MinPasswordLength = 10;

    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your email address")
            .Must(v => EmailAddresses.HasAsciiLocalPart(v!.Trim())).WithMessage(EmailAddresses.NonAsciiLocalPartMessage)
            .Must(v => EmailAddresses.IsWellFormed(v!.Trim())).WithMessage("Enter an email address in the correct format, like name@example.com");

    public static IRuleBuilderOptions<T, string?> NewPassword<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrEmpty(v)).WithMessage("Enter a password")
            .Must(v => v!.Length >= MinPasswordLength).WithMessage($"Password must be {MinPasswordLength} characters or more")
            .Must(v => v!.Length <= 200).WithMessage("Password must be 200 characters or fewer");
}

public sealed class RegisterFormValidator : AbstractValidator<RegisterForm>
{
    public RegisterFormValidator()
    {
        RuleFor(f => f.DisplayName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Enter your name or your organization's name")
            .Must(v => v!.Trim().Length <= 200).WithMessage("Name must be 200 characters or fewer");
        RuleFor(f => f.Email).ValidEmail();
        RuleFor(f => f.Password).NewPassword();
        RuleFor(f => f.ConfirmPassword).Equal(f => f.Password).When(f => !string.IsNullOrEmpty(f.Password))
            .WithMessage("Passwords do not match");
    }
}

public sealed class LoginFormValidator : AbstractValidator<LoginForm>
{
    public LoginFormValidator()
    {
        RuleFor(f => f.Email).ValidEmail();
        RuleFor(f => f.Password).Must(v => !string.IsNullOrEmpty(v)).WithMessage("Enter your password");
    }
}

public sealed class ForgotPasswordFormValidator : AbstractValidator<ForgotPasswordForm>
{
    public ForgotPasswordFormValidator() => RuleFor(f => f.Email).ValidEmail();
}

public sealed class ResetPasswordFormValidator : AbstractValidator<ResetPasswordForm>
{
    public ResetPasswordFormValidator()
    {
        RuleFor(f => f.Password).NewPassword();
        RuleFor(f => f.ConfirmPassword).Equal(f => f.Password).When(f => !string.IsNullOrEmpty(f.Password))
            .WithMessage("Passwords do not match");
    }
}

public sealed class ChangePasswordFormValidator : AbstractValidator<ChangePasswordForm>
{
    public ChangePasswordFormValidator()
    {
        RuleFor(f => f.CurrentPassword).Must(v => !string.IsNullOrEmpty(v)).WithMessage("Enter your current password");
        RuleFor(f => f.NewPassword).NewPassword();
        RuleFor(f => f.ConfirmPassword).Equal(f => f.NewPassword).When(f => !string.IsNullOrEmpty(f.NewPassword))
            .WithMessage("Passwords do not match");
    }
}

public sealed class DeleteAccountFormValidator : AbstractValidator<DeleteAccountForm>
{
    public DeleteAccountFormValidator() =>
        RuleFor(f => f.Password).Must(v => !string.IsNullOrEmpty(v)).WithMessage("Enter your password to confirm");
}
