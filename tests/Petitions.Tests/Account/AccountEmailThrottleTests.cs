using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Account;

/// <summary>
/// Every account email a stranger can cause shares the per-address allowance (RateLimiting__EmailsPerAddressPerHour,
/// 5 here): past it the page is the same and nothing is sent, so the forms cannot mail-bomb an inbox (issue 9, item 2).
/// </summary>
public sealed class AccountEmailThrottleTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const int Limit = 5;
    private const string RegisterForm = "form[action='/account/register']";
    private const string ForgotForm = "form[action='/account/forgot-password']";

    [Fact]
    public async Task RegisterAndForgotPassword_PastTheLimit_ShowTheUsualPageAndSendNothing()
    {
        var email = UniqueEmail("bombed");
        var pages = new List<HtmlPage>
        {
            await RegisterAsync(email), // creates the account: a confirmation email
            await RegisterAsync(email), // "you already have an account"
            await RegisterAsync(email),
            await ForgotPasswordAsync(email),
            await ForgotPasswordAsync(email),
        };
        var sixthRegistration = await RegisterAsync(email);
        var sixthReset = await ForgotPasswordAsync(email);

        Assert.Equal(Describe(pages[1]), Describe(sixthRegistration));
        Assert.Equal(Describe(pages[4]), Describe(sixthReset));
        Assert.Equal(
            ["confirm-account", "account-exists", "account-exists", "reset-password", "reset-password"],
            await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.ToAddress == email).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync()));
        Assert.Equal(Limit, (await MailDev.WaitForEmailsAsync(email, Limit)).Count);
    }

    [Fact]
    public async Task LoginToAnUnconfirmedAccount_PastTheLimit_ShowsTheUsualMessageAndSendsNothing()
    {
        var user = await new UserBuilder().Unconfirmed().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var pages = new List<HtmlPage>();
        for (var attempt = 1; attempt <= Limit + 2; attempt++)
        {
            pages.Add(await browser.SubmitLoginAsync(user.Email, user.Password));
        }

        Assert.Single(pages.Select(Describe).Distinct());
        Assert.Equal(Limit, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.ToAddress == user.Email && m.Kind == "confirm-account")));
    }

    private static string Describe(HtmlPage page) => $"{(int)page.Status} | {page.Title} | {HtmlPage.Normalize(page.Find("main")?.TextContent ?? "")}";

    private async Task<HtmlPage> RegisterAsync(string email)
    {
        using var browser = App.CreateVisitor();
        var form = (await browser.GetAsync("/account/register")).Form(RegisterForm);
        var page = await browser.SubmitAsync(form,
        [
            new("DisplayName", "Someone"), new("Email", email), new("Password", UserBuilder.DefaultPassword), new("ConfirmPassword", UserBuilder.DefaultPassword),
        ]);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }

    private async Task<HtmlPage> ForgotPasswordAsync(string email)
    {
        using var browser = App.CreateVisitor();
        var form = (await browser.GetAsync("/account/forgot-password")).Form(ForgotForm);
        var page = await browser.SubmitAsync(form, [new("Email", email)]);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }
}
