using FluentValidation;
using Petitions.Web.Features.Signing;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.MySignatures;

public sealed class MySignaturesForm
{
    public string? Email { get; set; }
}

public sealed class MySignaturesFormValidator : AbstractValidator<MySignaturesForm>
{
    public MySignaturesFormValidator(Texts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        RuleFor(f => f.Email).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => t["Enter your email address"])
            .Must(v => v!.Trim().Length <= 254).WithMessage(_ => t["Email address must be 254 characters or fewer"])
            .Must(v => EmailAddresses.IsWellFormed(v!.Trim())).WithMessage(_ => t["Enter an email address in the correct format, like name@example.com"]);
    }
}
