using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Account;

/// <summary>Logging in and out: confirmation first, clear messages, throttling after repeated failures (see LoginThrottleTests), and local redirects only.</summary>
public sealed class LoginTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string WrongCredentials = "Enter a correct email address and password";
    private const string NotConfirmed = "Confirm your email address before you log in. We've sent you a new confirmation email";

    [Fact]
    public async Task Post_ValidCredentials_LogsInAndGoesToDashboard()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var result = await browser.SubmitLoginAsync(user.Email, user.Password);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/dashboard", result.PathAndQuery());
        Assert.True(await browser.IsLoggedInAsync());
        var account = await browser.GetAsync("/account");
        Assert.Contains(user.Email, account.Text("main"), StringComparison.Ordinal);
        Assert.Contains(user.DisplayName, account.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EmailInAnotherCaseWithSpaces_LogsIn()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var result = await browser.SubmitLoginAsync($" {user.Email.ToUpperInvariant()} ", user.Password);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task Post_LocalReturnUrl_GoesBackThere()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var result = await browser.SubmitLoginAsync(user.Email, user.Password, returnUrl: "/start");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/start", result.PathAndQuery());
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task Post_ExternalReturnUrl_GoesToDashboardInstead(string returnUrl)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var result = await browser.SubmitLoginAsync(user.Email, user.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/dashboard", result.PathAndQuery());
    }

    [Fact]
    public async Task Post_WrongPassword_ShowsErrorAndDoesNotLogIn()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var page = await browser.SubmitLoginAsync(user.Email, "not my password at all");

        AssertLoginRefused(page, WrongCredentials);
        Assert.Equal(user.Email, ((IHtmlInputElement)page.Form(AccountSteps.LoginForm).QuerySelector("#Email")!).Value);
        Assert.Equal("", ((IHtmlInputElement)page.Form(AccountSteps.LoginForm).QuerySelector("#Password")!).Value);
        Assert.False(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task Post_UnknownEmail_ShowsTheSameErrorAsAWrongPassword()
    {
        using var browser = App.CreateVisitor();

        var page = await browser.SubmitLoginAsync(UniqueEmail("nobody"), "whatever password");

        AssertLoginRefused(page, WrongCredentials);
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Theory]
    [InlineData("", "a password here", "Email", "Enter your email address")]
    [InlineData("not-an-email", "a password here", "Email", "Enter an email address in the correct format, like name@example.com")]
    [InlineData("someone@example.test", "", "Password", "Enter your password")]
    public async Task Post_MissingOrMalformedField_ShowsErrorOnThatField(string email, string password, string field, string message)
    {
        using var browser = App.CreateVisitor();

        var page = await browser.SubmitLoginAsync(email, password);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Log in", page.Title, StringComparison.Ordinal);
        Assert.Equal([$"#{field}"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal($"Error: {message}", page.Text($"#{field}-error"));
    }

    [Fact]
    public async Task Post_BeforeConfirming_RefusesAndSendsANewConfirmationEmail()
    {
        var user = await new UserBuilder().Unconfirmed().WithEmail(UniqueEmail("unconfirmed")).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var page = await browser.SubmitLoginAsync(user.Email, user.Password);

        AssertLoginRefused(page, NotConfirmed);
        Assert.False(await browser.IsLoggedInAsync());
        var message = await MailDev.WaitForEmailAsync(user.Email);
        Assert.Equal("Confirm your email address", message.Subject);

        var confirmed = await browser.GetAsync(message.SingleLink("/account/confirm"));
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        var login = await browser.SubmitLoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.True(await browser.IsLoggedInAsync());
    }

    /// <summary>
    /// Without the right password, the login form must not reveal that an unconfirmed account exists, nor let anyone
    /// make the site email its owner (the registration form is careful not to reveal who has an account).
    /// </summary>
    [Fact]
    public async Task Post_UnconfirmedAccountWithWrongPassword_ShowsTheGenericErrorAndSendsNothing()
    {
        var user = await new UserBuilder().Unconfirmed().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var page = await browser.SubmitLoginAsync(user.Email, "not my password at all");

        AssertLoginRefused(page, WrongCredentials);
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Post_FourWrongPasswordsThenTheRightOne_LogsIn()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            AssertLoginRefused(await browser.SubmitLoginAsync(user.Email, $"wrong password {attempt}"), WrongCredentials);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, user.Password)).Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM login_throttle").SingleAsync()));
    }

    [Fact]
    public async Task PostLogout_LoggedIn_LogsOutAndGoesHome()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var account = await browser.GetAsync("/account");
        var logout = account.Form("form[action='/account/logout']");

        var result = await browser.SubmitAsync(logout, []);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/", result.PathAndQuery());
        Assert.False(await browser.IsLoggedInAsync());
        var home = await browser.GetAsync("/");
        Assert.NotNull(home.Find("a[href='/account/login']"));
        Assert.Null(home.Find("form[action='/account/logout']"));
    }

    [Fact]
    public async Task PostLogout_WithoutAntiforgeryToken_IsRefused()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var result = await browser.PostAsync("/account/logout", []);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.True(await browser.IsLoggedInAsync());
    }

    private static void AssertLoginRefused(HtmlPage page, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Log in", page.Title, StringComparison.Ordinal);
        var links = page.All(".error-summary a");
        Assert.Equal(["#Email"], links.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, links[0].TextContent.Trim());
        Assert.Equal($"Error: {message}", page.Text("#Email-error"));
    }
}
