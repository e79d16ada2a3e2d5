using FluentValidation;
using Petitions.Web.Features.Signing;
using Petitions.Web.Localization;

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

    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilderInitial<T, string?> rule, Texts t) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your email address"])
            .Must(v => EmailAddresses.HasAsciiLocalPart(v!.Trim())).WithMessage(_ => t[EmailAddresses.NonAsciiLocalPartMessage])
            .Must(v => EmailAddresses.IsWellFormed(v!.Trim())).WithMessage(_ => t["Enter an email address in the correct format, like name@example.com"]);

    public static IRuleBuilderOptions<T, string?> NewPassword<T>(this IRuleBuilderInitial<T, string?> rule, Texts t) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrEmpty(v)).WithMessage(_ => t["Enter a password"])
            .Must(v => v!.Length >= MinPasswordLength).WithMessage(_ => t["Password must be {0} characters or more", MinPasswordLength])
            .Must(v => v!.Length <= 200).WithMessage(_ => t["Password must be 200 characters or fewer"]);
}

public sealed class RegisterFormValidator : AbstractValidator<RegisterForm>
{
    public RegisterFormValidator(Texts t)
    {
        RuleFor(f => f.DisplayName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your name or your organization's name"])
            .Must(v => v!.Trim().Length <= 200).WithMessage(_ => t["Name must be 200 characters or fewer"]);
        RuleFor(f => f.Email).ValidEmail(t);
        RuleFor(f => f.Password).NewPassword(t);
        RuleFor(f => f.ConfirmPassword).Equal(f => f.Password).When(f => !string.IsNullOrEmpty(f.Password))
            .WithMessage(_ => t["Passwords do not match"]);
    }
}

public sealed class LoginFormValidator : AbstractValidator<LoginForm>
{
    public LoginFormValidator(Texts t)
    {
        RuleFor(f => f.Email).ValidEmail(t);
        RuleFor(f => f.Password).Must(v => !string.IsNullOrEmpty(v)).WithMessage(_ => t["Enter your password"]);
    }
}

public sealed class ForgotPasswordFormValidator : AbstractValidator<ForgotPasswordForm>
{
    public ForgotPasswordFormValidator(Texts t) => RuleFor(f => f.Email).ValidEmail(t);
}

public sealed class ResetPasswordFormValidator : AbstractValidator<ResetPasswordForm>
{
    public ResetPasswordFormValidator(Texts t)
    {
        RuleFor(f => f.Password).NewPassword(t);
        RuleFor(f => f.ConfirmPassword).Equal(f => f.Password).When(f => !string.IsNullOrEmpty(f.Password))
            .WithMessage(_ => t["Passwords do not match"]);
    }
}

public sealed class ChangePasswordFormValidator : AbstractValidator<ChangePasswordForm>
{
    public ChangePasswordFormValidator(Texts t)
    {
        RuleFor(f => f.CurrentPassword).Must(v => !string.IsNullOrEmpty(v)).WithMessage(_ => t["Enter your current password"]);
        RuleFor(f => f.NewPassword).NewPassword(t);
        RuleFor(f => f.ConfirmPassword).Equal(f => f.NewPassword).When(f => !string.IsNullOrEmpty(f.NewPassword))
            .WithMessage(_ => t["Passwords do not match"]);
    }
}

public sealed class DeleteAccountFormValidator : AbstractValidator<DeleteAccountForm>
{
    public DeleteAccountFormValidator(Texts t) =>
        RuleFor(f => f.Password).Must(v => !string.IsNullOrEmpty(v)).WithMessage(_ => t["Enter your password to confirm"]);
}
