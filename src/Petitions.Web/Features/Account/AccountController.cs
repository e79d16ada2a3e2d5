using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Common;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Account;

[Route("account")]
public sealed class AccountController(
    PetitionsDbContext db,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    AccountEmails emails,
    Email.OutboxSignal outboxSignal,
    TimeProvider clock,
    IServiceProvider services) : Controller
{
    [HttpGet("register")]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Register(RegisterForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var email = form.Email!.Trim();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            // Say the same as for a new account, so the form does not reveal who has one.
            await emails.QueueAccountExistsAsync(db, existing);
        }
        else
        {
            var user = new ApplicationUser { UserName = email, Email = email, DisplayName = form.DisplayName!.Trim(), CreatedAt = clock.GetUtcNow() };
            var result = await users.CreateAsync(user, form.Password!);
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? nameof(form.Password) : nameof(form.Email), error.Description);
                }

                return Invalid(form);
            }

            await emails.QueueConfirmationAsync(db, user);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outboxSignal.Notify();
        return View("CheckEmail", "We've sent you an email with a link to confirm your address. Open it to finish creating your account.");
    }

    [HttpGet("confirm")]
    public async Task<IActionResult> ConfirmEmail(string? userId, string? code)
    {
        var token = AccountEmails.Decode(code);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || token is null || !(await users.ConfirmEmailAsync(user, token)).Succeeded)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("LinkProblem");
        }

        return View("EmailConfirmed");
    }

    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var user = await users.FindByEmailAsync(form.Email!.Trim());
        if (user is null)
        {
            return LoginFailed(form, "Enter a correct email address and password");
        }

        var result = await signIn.PasswordSignInAsync(user, form.Password!, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/dashboard");
        }

        if (result.IsLockedOut)
        {
            return LoginFailed(form, "Your account is locked for 15 minutes because of too many failed attempts. Try again later, or reset your password");
        }

        // Only someone who knows the password learns that the account is unconfirmed.
        if (result.IsNotAllowed && await users.CheckPasswordAsync(user, form.Password!))
        {
            await emails.QueueConfirmationAsync(db, user);
            await db.SaveChangesAsync();
            outboxSignal.Notify();
            return LoginFailed(form, "Confirm your email address before you log in. We've sent you a new confirmation email");
        }

        return LoginFailed(form, "Enter a correct email address and password");
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword() => View(new ForgotPasswordForm());

    [HttpPost("forgot-password")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> ForgotPassword(ForgotPasswordForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var user = await users.FindByEmailAsync(form.Email!.Trim());
        if (user is not null)
        {
            await emails.QueuePasswordResetAsync(db, user);
            await db.SaveChangesAsync();
            outboxSignal.Notify();
        }

        return View("CheckEmail", "If an account uses that address, we've sent it an email with a link to reset the password.");
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? userId, string? code) =>
        userId is null || code is null ? LinkProblem() : View(new ResetPasswordForm { UserId = userId, Code = code });

    [HttpPost("reset-password")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var user = form.UserId is null ? null : await users.FindByIdAsync(form.UserId);
        var token = AccountEmails.Decode(form.Code);
        if (user is null || token is null)
        {
            return LinkProblem();
        }

        var result = await users.ResetPasswordAsync(user, token, form.Password!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == "InvalidToken"))
            {
                return LinkProblem();
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(nameof(form.Password), error.Description);
            }

            return Invalid(form);
        }

        // A reset proves control of the inbox, so it also ends any lockout.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return View("PasswordChanged");
    }

    [Authorize]
    [HttpGet("")]
    public async Task<IActionResult> Manage() => await users.GetUserAsync(User) is { } user ? View(user) : Challenge();

    [Authorize]
    [HttpGet("change-password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    [Authorize]
    [HttpPost("change-password")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code == "PasswordMismatch" ? nameof(form.CurrentPassword) : nameof(form.NewPassword);
                ModelState.AddModelError(field, error.Code == "PasswordMismatch" ? "Your current password is wrong" : error.Description);
            }

            return Invalid(form);
        }

        await signIn.RefreshSignInAsync(user);
        return View("PasswordChanged");
    }

    [Authorize]
    [HttpGet("delete")]
    public IActionResult Delete() => View(new DeleteAccountForm());

    [Authorize]
    [HttpPost("delete")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Delete(DeleteAccountForm form)
    {
        if (!Validate(form))
        {
            return Invalid(form);
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!await users.CheckPasswordAsync(user, form.Password!))
        {
            ModelState.AddModelError(nameof(form.Password), "Your password is wrong");
            return Invalid(form);
        }

        // Their petitions stay up under the starter name they chose; only the link to the account goes.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Petitions.Where(p => p.OwnerId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.OwnerId, (string?)null));
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        await transaction.CommitAsync();
        await signIn.SignOutAsync();
        return View("Deleted");
    }

    private bool Validate<T>(T form)
    {
        var result = services.GetRequiredService<IValidator<T>>().Validate(form);
        ModelState.Clear();
        ModelState.AddErrors(result);
        return result.IsValid;
    }

    private ViewResult Invalid<T>(T form)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(form);
    }

    private ViewResult LoginFailed(LoginForm form, string message)
    {
        ModelState.AddModelError(nameof(LoginForm.Email), message);
        return Invalid(form);
    }

    private ViewResult LinkProblem()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("LinkProblem");
    }
}
