using System.Security.Claims;
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
    AccountTargetLimiter targets,
    LoginThrottle loginThrottle,
    Email.OutboxSignal outboxSignal,
    TimeProvider clock,
    IServiceProvider services,
    Localization.Texts t) : Controller
{
    private string WrongCredentials => t["Enter a correct email address and password"];
    private string TooManyAttempts => t["Too many failed attempts to log in to this account from your network. Wait a few minutes and try again, or reset your password"];

    // Checked for unknown emails, so that they cost the same hash as known ones (see HashLikeAKnownAccount).
    private static string? dummyPasswordHash;

    [HttpGet("register")]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Register(RegisterForm form)
    {
        if (!ModelState.Validate(services, form))
        {
            return Invalid(form);
        }

        var email = form.Email!.Trim();
        if (!targets.TryAcquire("register", email))
        {
            return TooManyRequests();
        }

        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = form.DisplayName!.Trim(), CreatedAt = clock.GetUtcNow() };
        var result = await CreateWithConfirmationAsync(user, form.Password!);
        if (IsTaken(result))
        {
            // Say the same as for a new account, so the form does not reveal who has one.
            var existing = await users.FindByEmailAsync(email)
                ?? throw new InvalidOperationException("An account was taken but cannot be found");
            await emails.QueueAccountExistsAsync(db, existing);
            await db.SaveChangesAsync();
        }
        else if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? nameof(form.Password) : nameof(form.Email), error.Description);
            }

            return Invalid(form);
        }

        outboxSignal.Notify();
        return View("CheckEmail", t["We've sent you an email with a link to confirm your address. Open it to finish creating your account."]);
    }

    [HttpGet("confirm")]
    public async Task<IActionResult> ConfirmEmail(string? userId, string? code)
    {
        var token = AccountEmails.Decode(code);
        // PostgreSQL refuses NUL in text, so such an id can name no user.
        var user = userId is null || userId.Contains('\0', StringComparison.Ordinal) ? null : await users.FindByIdAsync(userId);
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
        if (!ModelState.Validate(services, form))
        {
            return Invalid(form);
        }

        var email = form.Email!.Trim();
        if (!targets.TryAcquire("login", email))
        {
            return TooManyRequests();
        }

        // Known and unknown emails take the same path to the same answers: a throttle on the pair, then one hash.
        var attempt = LoginThrottle.Key(users.NormalizeEmail(email), RateLimits.ClientKey(HttpContext));
        if (!await loginThrottle.TryTakeAsync(attempt, HttpContext.RequestAborted))
        {
            return LoginFailed(form, TooManyAttempts);
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            HashLikeAKnownAccount(form.Password!);
            return LoginFailed(form, WrongCredentials);
        }

        if (!await users.CheckPasswordAsync(user, form.Password!))
        {
            return LoginFailed(form, WrongCredentials);
        }

        await loginThrottle.ClearAsync(attempt, HttpContext.RequestAborted);

        // Only someone who knows the password learns that the account is unconfirmed.
        if (!await signIn.CanSignInAsync(user))
        {
            if (await emails.QueueConfirmationAsync(db, user))
            {
                await db.SaveChangesAsync();
                outboxSignal.Notify();
            }

            return LoginFailed(form, t["Confirm your email address before you log in. We've sent you a new confirmation email"]);
        }

        await signIn.SignInWithClaimsAsync(user, form.RememberMe, [new Claim("amr", "pwd")]);
        return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/dashboard");
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
        if (!ModelState.Validate(services, form))
        {
            return Invalid(form);
        }

        var email = form.Email!.Trim();
        if (!targets.TryAcquire("forgot-password", email))
        {
            return TooManyRequests();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is not null && await emails.QueuePasswordResetAsync(db, user))
        {
            await db.SaveChangesAsync();
            outboxSignal.Notify();
        }

        return View("CheckEmail", t["If an account uses that address, we've sent it an email with a link to reset the password."]);
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? userId, string? code) =>
        userId is null || code is null ? LinkProblem() : View(new ResetPasswordForm { UserId = userId, Code = code });

    [HttpPost("reset-password")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (!ModelState.Validate(services, form))
        {
            return Invalid(form);
        }

        if (!targets.TryAcquire("reset-password", form.UserId ?? ""))
        {
            return TooManyRequests();
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

        // A reset proves control of the inbox, so it also lifts the login throttle for this address.
        await loginThrottle.ClearAsync(LoginThrottle.Key(user.NormalizedEmail!, RateLimits.ClientKey(HttpContext)), HttpContext.RequestAborted);
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
        if (!ModelState.Validate(services, form))
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
                ModelState.AddModelError(field, error.Code == "PasswordMismatch" ? t["Your current password is wrong"] : error.Description);
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
        if (!ModelState.Validate(services, form))
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
            ModelState.AddModelError(nameof(form.Password), t["Your password is wrong"]);
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

    /// <summary>
    /// Creates the account and queues its confirmation email in one transaction. A result with a duplicate error means
    /// the address has an account, perhaps one registered a moment ago by a concurrent request that won the unique index.
    /// </summary>
    private async Task<IdentityResult> CreateWithConfirmationAsync(ApplicationUser user, string password)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
            {
                return result;
            }

            await emails.QueueConfirmationAsync(db, user);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return result;
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(user.UserName!));
        }
    }

    private static bool IsTaken(IdentityResult result) =>
        result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail));

    /// <summary>An unknown email costs the same hash as a known one, so the time of the answer does not tell them apart.</summary>
    private void HashLikeAKnownAccount(string password)
    {
        var nobody = new ApplicationUser();
        dummyPasswordHash ??= users.PasswordHasher.HashPassword(nobody, Guid.NewGuid().ToString());
        users.PasswordHasher.VerifyHashedPassword(nobody, dummyPasswordHash, password);
    }

    // An empty 429: the status-code pages show the same page as the per-client limit.
    private StatusCodeResult TooManyRequests() => StatusCode(StatusCodes.Status429TooManyRequests);

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
