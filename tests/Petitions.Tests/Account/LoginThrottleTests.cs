using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Account;

/// <summary>
/// Failed logins are throttled per account and per address, with backoff (issue 9, item 6): an attacker cannot lock
/// the owner out, and the answers never tell an account that exists from one that does not.
/// </summary>
public sealed class LoginThrottleTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string WrongCredentials = "Enter a correct email address and password";
    private const string TooManyAttempts = "Too many failed attempts to log in to this account from your network. Wait a few minutes and try again, or reset your password";

    [Fact]
    public async Task Post_AttackerFails20TimesFromOneAddress_OwnerFromAnotherAddressLogsInAtOnce()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        using var attacker = App.CreateVisitor();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await attacker.SubmitLoginAsync(owner.Email, $"guess {attempt}")).Status);
        }

        using var ownersBrowser = App.CreateVisitor();
        var login = await ownersBrowser.SubmitLoginAsync(owner.Email, owner.Password);

        Assert.True(login.Status == HttpStatusCode.Redirect, $"The owner was refused: {AccountSteps.ErrorSummary(login)}");
        Assert.True(await ownersBrowser.IsLoggedInAsync());
        Assert.False(await attacker.IsLoggedInAsync());
    }

    [Fact]
    public async Task Post_UnknownAndKnownEmails_GetIdenticalPagesAttemptAfterAttempt()
    {
        var known = await new UserBuilder().CreateAsync(App.Services);
        var unknown = UniqueEmail("nobody");
        using var browser = App.CreateVisitor();

        var seen = new List<string>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var forKnown = Describe(await browser.SubmitLoginAsync(known.Email, $"guess {attempt}"));
            var forUnknown = Describe(await browser.SubmitLoginAsync(unknown, $"guess {attempt}"));

            Assert.Equal(forKnown, forUnknown);
            seen.Add(forKnown);
        }

        Assert.Equal(Enumerable.Repeat(WrongCredentials, 5).Concat(Enumerable.Repeat(TooManyAttempts, 3)), seen.Select(s => s.Split(" | ")[3]));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Post_FromAThrottledAddress_WaitsLongerAfterEachFailure()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            AssertRefused(await browser.SubmitLoginAsync(user.Email, $"guess {attempt}"), WrongCredentials);
        }

        // Even the right password is not checked until the wait is over.
        AssertRefused(await browser.SubmitLoginAsync(user.Email, user.Password), TooManyAttempts);
        await AgeAttemptsAsync(TimeSpan.FromMinutes(1));
        AssertRefused(await browser.SubmitLoginAsync(user.Email, "guess 6"), WrongCredentials);

        // The sixth failure doubles the wait to two minutes.
        AssertRefused(await browser.SubmitLoginAsync(user.Email, user.Password), TooManyAttempts);
        await AgeAttemptsAsync(TimeSpan.FromMinutes(1));
        AssertRefused(await browser.SubmitLoginAsync(user.Email, user.Password), TooManyAttempts);
        await AgeAttemptsAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, user.Password)).Status);
        Assert.True(await browser.IsLoggedInAsync());

        // A success starts the count again.
        Assert.Equal(0, await App.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM login_throttle").SingleAsync()));
    }

    [Fact]
    public async Task Post_ConcurrentGuessesFromOneAddress_OnlyTheAllowedNumberAreChecked()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        var form = (await browser.GetAsync("/account/login")).Form(AccountSteps.LoginForm);

        var pages = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            browser.SubmitAsync(form, [new("Email", user.Email), new("Password", $"guess {i}")])));

        var messages = pages.Select(p => p.Text("#Email-error")).ToList();
        Assert.Equal(5, messages.Count(m => m == $"Error: {WrongCredentials}"));
        Assert.Equal(7, messages.Count(m => m == $"Error: {TooManyAttempts}"));
    }

    [Fact]
    public async Task Post_FailuresOnTwoAppNodes_ShareOneThrottle()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        await using var otherNode = App.WithSettings();
        var address = Visitors.NextAddress();
        using var onFirst = App.Server.CreateVisitor(address);
        using var onSecond = otherNode.CreateVisitor(address);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            AssertRefused(await onFirst.SubmitLoginAsync(user.Email, $"guess {attempt}"), WrongCredentials);
        }

        AssertRefused(await onSecond.SubmitLoginAsync(user.Email, "guess 4"), WrongCredentials);
        AssertRefused(await onSecond.SubmitLoginAsync(user.Email, "guess 5"), WrongCredentials);

        AssertRefused(await onFirst.SubmitLoginAsync(user.Email, user.Password), TooManyAttempts);
    }

    /// <summary>Without a dummy check an unknown email answers in a few milliseconds and a known one after a slow hash.</summary>
    [Fact]
    public async Task Post_UnknownEmail_ChecksAPasswordWithTheSameHasherAsAKnownOne()
    {
        var hasher = new CountingHasher();
        await using var spied = App.WithHost(host => host.ConfigureTestServices(services =>
            services.AddScoped<IPasswordHasher<ApplicationUser>>(_ => hasher)));
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = spied.CreateVisitor();

        hasher.Verifications = 0;
        AssertRefused(await browser.SubmitLoginAsync(UniqueEmail("nobody"), "some password"), WrongCredentials);
        var forUnknown = hasher.Verifications;
        hasher.Verifications = 0;
        AssertRefused(await browser.SubmitLoginAsync(user.Email, "some password"), WrongCredentials);
        var forKnown = hasher.Verifications;

        Assert.Equal(1, forKnown);
        Assert.Equal(forKnown, forUnknown);
    }

    private static string Describe(HtmlPage page) =>
        string.Join(" | ", (int)page.Status, page.Title, AccountSteps.ErrorSummary(page), page.Text("#Email-error").Replace("Error: ", "", StringComparison.Ordinal));

    private static void AssertRefused(HtmlPage page, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(message, AccountSteps.ErrorSummary(page));
    }

    private async Task AgeAttemptsAsync(TimeSpan by) =>
        await App.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE login_throttle SET last_attempt_at = last_attempt_at - {by}"));

    private sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> inner = new();
        private int verifications;

        public int Verifications
        {
            get => Volatile.Read(ref verifications);
            set => Volatile.Write(ref verifications, value);
        }

        public string HashPassword(ApplicationUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
