using System.Net;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Account;

/// <summary>"Forgot password" by email through real SMTP, and reset and confirmation links that do not work.</summary>
public sealed class PasswordResetTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string NewPassword = "a brand new long passphrase";

    [Fact]
    public async Task ForgotPassword_KnownEmail_SendsLinkThatSetsANewPassword()
    {
        var user = await new UserBuilder().WithEmail(UniqueEmail("forgetful")).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var sent = await RequestResetAsync(browser, user.Email);

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("Check your email", sent.Text("h1"));
        var message = await MailDev.WaitForEmailAsync(user.Email);
        Assert.Equal("reset-password", await App.WithDbAsync(db => db.OutboxMessages.Select(m => m.Kind).SingleAsync()));
        var link = message.SingleLink("/account/reset-password");
        Assert.StartsWith($"{PetitionsAppFactory.BaseUrl}/account/reset-password?userId=", link, StringComparison.Ordinal);

        // Opened from the email, in a browser that is not logged in.
        using var mailReader = App.CreateVisitor();
        var changed = await ResetAsync(mailReader, link, NewPassword, NewPassword);

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal("Your password has been changed", changed.Text("h1"));
        Assert.Equal(HttpStatusCode.Redirect, (await mailReader.SubmitLoginAsync(user.Email, NewPassword)).Status);
        using var other = App.CreateVisitor();
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SubmitLoginAsync(user.Email, user.Password)).Status);
    }

    [Fact]
    public async Task ForgotPassword_UnknownEmail_ShowsTheSamePageAndSendsNothing()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var known = await RequestResetAsync(browser, user.Email);
        var unknown = await RequestResetAsync(browser, UniqueEmail("nobody"));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(known.Text("main"), unknown.Text("main"));
        Assert.Equal([user.Email], await App.WithDbAsync(db => db.OutboxMessages.Select(m => m.ToAddress).ToListAsync()));
    }

    [Fact]
    public async Task ForgotPassword_MalformedEmail_ShowsError()
    {
        using var browser = App.CreateVisitor();

        var page = await RequestResetAsync(browser, "not an email");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Equal(["#Email"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal("not an email", page.One("#Email").GetAttribute("value"));
    }

    [Fact]
    public async Task ResetPassword_AfterFailedLogins_ResetEndsTheThrottleForThisAddress()
    {
        var user = await new UserBuilder().WithEmail(UniqueEmail("locked")).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await browser.SubmitLoginAsync(user.Email, $"wrong password {attempt}");
        }

        await RequestResetAsync(browser, user.Email);
        var link = (await MailDev.WaitForEmailAsync(user.Email)).SingleLink("/account/reset-password");
        Assert.Equal(HttpStatusCode.OK, (await ResetAsync(browser, link, NewPassword, NewPassword)).Status);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, NewPassword)).Status);
    }

    [Fact]
    public async Task ResetPassword_PasswordsDoNotMatch_ShowsErrorAndKeepsTheOldPassword()
    {
        var user = await new UserBuilder().WithEmail(UniqueEmail()).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        await RequestResetAsync(browser, user.Email);
        var link = (await MailDev.WaitForEmailAsync(user.Email)).SingleLink("/account/reset-password");

        var page = await ResetAsync(browser, link, NewPassword, NewPassword + "!");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Choose a new password", page.Title, StringComparison.Ordinal);
        Assert.Equal(["#ConfirmPassword"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, user.Password)).Status);
    }

    [Fact]
    public async Task ResetPassword_LinkUsedTwice_SecondTimeShowsTheLinkProblemPage()
    {
        var user = await new UserBuilder().WithEmail(UniqueEmail()).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        await RequestResetAsync(browser, user.Email);
        var link = (await MailDev.WaitForEmailAsync(user.Email)).SingleLink("/account/reset-password");
        Assert.Equal(HttpStatusCode.OK, (await ResetAsync(browser, link, NewPassword, NewPassword)).Status);

        var again = await ResetAsync(browser, link, "yet another passphrase", "yet another passphrase");

        AssertLinkProblem(again);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, NewPassword)).Status);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("unknown-user")]
    [InlineData("not-base64")]
    [InlineData("confirm-code")]
    public async Task ResetPassword_BadLink_ShowsTheLinkProblemPageAndKeepsThePassword(string how)
    {
        var user = await new UserBuilder().WithEmail(UniqueEmail()).CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        await RequestResetAsync(browser, user.Email);
        var (userId, code) = Query((await MailDev.WaitForEmailAsync(user.Email)).SingleLink("/account/reset-password"));
        var link = how switch
        {
            "tampered" => $"/account/reset-password?userId={Uri.EscapeDataString(userId)}&code={Tamper(code)}",
            "unknown-user" => $"/account/reset-password?userId={Guid.NewGuid()}&code={code}",
            "not-base64" => $"/account/reset-password?userId={Uri.EscapeDataString(userId)}&code=%25%25%25*",
            _ => $"/account/reset-password?userId={Uri.EscapeDataString(userId)}&code={await ConfirmationCodeAsync(user)}",
        };

        var page = await ResetAsync(browser, link, NewPassword, NewPassword);

        AssertLinkProblem(page);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(user.Email, user.Password)).Status);
    }

    [Theory]
    [InlineData("/account/reset-password")]
    [InlineData("/account/reset-password?userId=abc")]
    [InlineData("/account/reset-password?code=abc")]
    [InlineData("/account/confirm")]
    [InlineData("/account/confirm?userId=abc")]
    [InlineData("/account/confirm?code=abc")]
    [InlineData("/account/confirm?userId=abc&code=%25%25%25*")]
    [InlineData("/account/confirm?userId=abc&code=a")]
    public async Task Get_IncompleteLink_ShowsTheLinkProblemPage(string url)
    {
        using var browser = App.CreateVisitor();

        AssertLinkProblem(await browser.GetAsync(url));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("unknown-user")]
    [InlineData("other-user")]
    [InlineData("reset-code")]
    public async Task Confirm_BadLink_ShowsTheLinkProblemPageAndConfirmsNothing(string how)
    {
        var user = await new UserBuilder().Unconfirmed().WithEmail(UniqueEmail()).CreateAsync(App.Services);
        var other = await new UserBuilder().Unconfirmed().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();
        await browser.SubmitLoginAsync(user.Email, user.Password);
        var (userId, code) = Query((await MailDev.WaitForEmailAsync(user.Email)).SingleLink("/account/confirm"));
        var link = how switch
        {
            "tampered" => $"/account/confirm?userId={Uri.EscapeDataString(userId)}&code={Tamper(code)}",
            "unknown-user" => $"/account/confirm?userId={Guid.NewGuid()}&code={code}",
            "other-user" => $"/account/confirm?userId={Uri.EscapeDataString(other.Id)}&code={code}",
            _ => $"/account/confirm?userId={Uri.EscapeDataString(userId)}&code={await ResetCodeAsync(user)}",
        };

        AssertLinkProblem(await browser.GetAsync(link));

        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync(u => u.EmailConfirmed)));
    }

    private static async Task<HtmlPage> RequestResetAsync(TestBrowser browser, string email)
    {
        var page = await browser.GetAsync("/account/forgot-password");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await browser.SubmitAsync(page.Form("form[action='/account/forgot-password']"), [new("Email", email)]);
    }

    private static async Task<HtmlPage> ResetAsync(TestBrowser browser, string link, string password, string confirmPassword)
    {
        var page = await browser.GetAsync(link);
        if (page.Status != HttpStatusCode.OK)
        {
            return page;
        }

        Assert.Equal("Choose a new password", page.Text("h1"));
        return await browser.SubmitAsync(page.Form("form[action='/account/reset-password']"),
            [new("Password", password), new("ConfirmPassword", confirmPassword)]);
    }

    private static void AssertLinkProblem(HtmlPage page)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("This link doesn't work", page.Text("h1"));
        Assert.NotNull(page.Find("a[href='/account/forgot-password']"));
    }

    private static (string UserId, string Code) Query(string link)
    {
        var query = QueryHelpers.ParseQuery(new Uri(link).Query);
        return (query["userId"].ToString(), query["code"].ToString());
    }

    /// <summary>Changes one character in the middle of the code, as a mangled copy-paste would.</summary>
    private static string Tamper(string code)
    {
        var chars = code.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>A genuine code, but for confirming the email address rather than resetting the password.</summary>
    private async Task<string> ConfirmationCodeAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var token = await users.GenerateEmailConfirmationTokenAsync((await users.FindByIdAsync(user.Id))!);
        return WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
    }

    private async Task<string> ResetCodeAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var token = await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(user.Id))!);
        return WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
    }
}
