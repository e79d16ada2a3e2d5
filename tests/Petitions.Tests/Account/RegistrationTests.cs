using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Account;

/// <summary>Sign-up: each rule in the GOV.UK error pattern, the confirmation email through real SMTP, and no account enumeration.</summary>
public sealed class RegistrationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string RegisterForm = "form[action='/account/register']";

    [Fact]
    public Task Post_MissingName_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { DisplayName = "" }, "DisplayName", "Enter your name or your organization's name");

    [Fact]
    public Task Post_NameOver200Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { DisplayName = new string('n', 201) }, "DisplayName", "Name must be 200 characters or fewer");

    [Fact]
    public Task Post_MissingEmail_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { Email = "" }, "Email", "Enter your email address");

    [Theory]
    [InlineData("ada")]
    [InlineData("ada@example")]
    [InlineData("ada @example.test")]
    [InlineData("ada@@example.test")]
    public Task Post_MalformedEmail_ShowsErrorAndSavesNothing(string email) =>
        AssertRejectedAsync(Valid() with { Email = email }, "Email", "Enter an email address in the correct format, like name@example.com");

    [Fact]
    public Task Post_MissingPassword_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { Password = "", ConfirmPassword = "" }, "Password", "Enter a password");

    [Fact]
    public Task Post_PasswordUnder10Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { Password = "123456789", ConfirmPassword = "123456789" }, "Password", "Password must be 10 characters or more");

    [Fact]
    public Task Post_PasswordOver200Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { Password = new string('p', 201), ConfirmPassword = new string('p', 201) }, "Password", "Password must be 200 characters or fewer");

    [Fact]
    public Task Post_PasswordsDoNotMatch_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(Valid() with { ConfirmPassword = "correct horse battery stapler" }, "ConfirmPassword", "Passwords do not match");

    [Fact]
    public async Task Post_EveryFieldMissing_ListsEveryErrorInFormOrder()
    {
        using var browser = App.CreateVisitor();

        var page = await RegisterAsync(browser, new Registration("", "", "", ""));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(["#DisplayName", "#Email", "#Password"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_ValidForm_SendsConfirmationEmailWhoseLinkConfirmsTheAccount()
    {
        using var browser = App.CreateVisitor();
        var registration = Valid() with { DisplayName = "  Mill Road Cyclists ", Email = $"  {UniqueEmail("new-organizer")} " };
        var email = registration.Email.Trim();

        var page = await RegisterAsync(browser, registration);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Check your email", page.Text("h1"));
        Assert.Contains("confirm your address", page.Text("main"), StringComparison.Ordinal);
        var user = await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync());
        Assert.Equal(email, user.Email);
        Assert.Equal("Mill Road Cyclists", user.DisplayName);
        Assert.False(user.EmailConfirmed);
        Assert.NotEqual(registration.Password, user.PasswordHash);
        var outbox = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync());
        Assert.Equal("confirm-account", outbox.Kind);
        Assert.Equal(email, outbox.ToAddress);

        var message = await MailDev.WaitForEmailAsync(email);
        Assert.Equal("Confirm your email address", message.Subject);
        Assert.Equal([PetitionsAppFactory.FromAddress], message.From.Select(f => f.Address));
        Assert.Contains("Dear Mill Road Cyclists", message.Text, StringComparison.Ordinal);
        var link = message.SingleLink("/account/confirm");
        Assert.StartsWith($"{PetitionsAppFactory.BaseUrl}/account/confirm?userId=", link, StringComparison.Ordinal);

        // The link works in any browser, logged in or not.
        using var mailReader = App.CreateVisitor();
        var confirmed = await mailReader.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal("Your email address is confirmed", confirmed.Text("h1"));
        Assert.True(await App.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task Post_ValidForm_LoginWorksOnlyAfterConfirming()
    {
        using var browser = App.CreateVisitor();
        var registration = Valid() with { Email = UniqueEmail("organizer") };
        await RegisterAsync(browser, registration);
        var link = (await MailDev.WaitForEmailAsync(registration.Email)).SingleLink("/account/confirm");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).Status);
        var login = await browser.SubmitLoginAsync(registration.Email, registration.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task Post_ExistingEmail_ShowsSamePageAndEmailsTheOwnerInsteadOfCreatingAUser()
    {
        var existing = await new UserBuilder().WithEmail(UniqueEmail("taken")).Named("Existing Owner").CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        // Differently cased, as people type it; it is still the same address.
        var page = await RegisterAsync(browser, Valid() with { DisplayName = "Someone Else", Email = existing.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Check your email", page.Text("h1"));
        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync()));
        var user = await App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync());
        Assert.Equal("Existing Owner", user.DisplayName);
        Assert.True(user.EmailConfirmed);

        var message = await MailDev.WaitForEmailAsync(existing.Email);
        Assert.Equal("You already have an account", message.Subject);
        Assert.Contains("Dear Existing Owner", message.Text, StringComparison.Ordinal);
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/account/forgot-password", message.SingleLink("/account/forgot-password"));
        Assert.Equal("account-exists", await App.WithDbAsync(db => db.OutboxMessages.Select(m => m.Kind).SingleAsync()));
    }

    [Fact]
    public async Task Post_NewAndExistingEmail_ShowTheSamePage()
    {
        var existing = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var forNew = await RegisterAsync(browser, Valid() with { Email = UniqueEmail() });
        var forExisting = await RegisterAsync(browser, Valid() with { Email = existing.Email });

        Assert.Equal(forNew.Status, forExisting.Status);
        Assert.Equal(forNew.Title, forExisting.Title);
        Assert.Equal(forNew.Text("main"), forExisting.Text("main"));
    }

    /// <summary>
    /// Two people (or one double click) registering the same address at once both pass the "does it exist" check; the
    /// loser hits the unique index. Everyone sees the usual page and the owner gets the "account exists" email.
    /// </summary>
    [Fact]
    public async Task Post_SameEmailConcurrently_EveryoneSeesTheUsualPageAndOneAccountIsCreated()
    {
        const int racers = 4;
        var email = UniqueEmail("racer");
        var browsers = Enumerable.Range(0, racers).Select(_ => App.CreateVisitor()).ToList();
        try
        {
            var forms = await Task.WhenAll(browsers.Select(b => b.GetAsync("/account/register")));

            var pages = await Task.WhenAll(browsers.Select((browser, i) => browser.SubmitAsync(forms[i].Form(RegisterForm),
            [
                new("DisplayName", $"Racer {i}"), new("Email", email), new("Password", UserBuilder.DefaultPassword), new("ConfirmPassword", UserBuilder.DefaultPassword),
            ])));

            Assert.All(pages, page =>
            {
                Assert.Equal(HttpStatusCode.OK, page.Status);
                Assert.Equal("Check your email", page.Text("h1"));
            });
            Assert.Single(pages.Select(p => p.Text("main")).Distinct());
            Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync()));
            var kinds = await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.ToAddress == email).Select(m => m.Kind).ToListAsync());
            Assert.Equal(["confirm-account", .. Enumerable.Repeat("account-exists", racers - 1)], kinds.Order(StringComparer.Ordinal).Reverse());
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    /// <summary>Apostrophes and other characters are valid in email addresses (O'Brien), and the form accepts them.</summary>
    [Theory]
    [InlineData("o'brien")]
    [InlineData("ana!maria")]
    [InlineData("first.last+tag")]
    public async Task Post_EmailWithCharactersValidInAddresses_CreatesTheAccount(string localPart)
    {
        using var browser = App.CreateVisitor();
        var email = $"{localPart}-{Guid.NewGuid():N}@example.test";

        var page = await RegisterAsync(browser, Valid() with { Email = email });

        Assert.True(page.Status == HttpStatusCode.OK, $"Expected 200, got {(int)page.Status}: {AccountSteps.ErrorSummary(page)}");
        Assert.Equal("Check your email", page.Text("h1"));
        Assert.Equal(email, await App.WithDbAsync(db => db.Users.Select(u => u.Email).SingleAsync()));
    }

    private static Registration Valid() => new("Mill Road Cyclists", $"organizer-{Guid.NewGuid():N}@example.test", "correct horse battery staple", "correct horse battery staple");

    private static async Task<HtmlPage> RegisterAsync(TestBrowser browser, Registration registration)
    {
        var form = await browser.GetAsync("/account/register");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await browser.SubmitAsync(form.Form(RegisterForm),
        [
            new("DisplayName", registration.DisplayName),
            new("Email", registration.Email),
            new("Password", registration.Password),
            new("ConfirmPassword", registration.ConfirmPassword),
        ]);
    }

    private async Task AssertRejectedAsync(Registration registration, string field, string message)
    {
        using var browser = App.CreateVisitor();

        var page = await RegisterAsync(browser, registration);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Create an account", page.Title, StringComparison.Ordinal);
        var links = page.All(".error-summary a");
        Assert.Equal([$"#{field}"], links.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, links[0].TextContent.Trim());
        Assert.Equal($"Error: {message}", page.Text($"#{field}-error"));
        Assert.Contains($"{field}-error", page.One($"#{field}").GetAttribute("aria-describedby") ?? "", StringComparison.Ordinal);

        // What was typed is kept, except the passwords, which are never sent back.
        var form = page.Form(RegisterForm);
        Assert.Equal(registration.DisplayName, ((IHtmlInputElement)form.QuerySelector("#DisplayName")!).Value);
        Assert.Equal(registration.Email, ((IHtmlInputElement)form.QuerySelector("#Email")!).Value);
        Assert.Equal("", ((IHtmlInputElement)form.QuerySelector("#Password")!).Value);
        Assert.Equal("", ((IHtmlInputElement)form.QuerySelector("#ConfirmPassword")!).Value);
        if (registration.Password.Length > 0)
        {
            Assert.DoesNotContain(registration.Password, page.Html, StringComparison.Ordinal);
        }

        await AssertNothingSavedAsync();
    }

    private async Task AssertNothingSavedAsync()
    {
        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    private sealed record Registration(string DisplayName, string Email, string Password, string ConfirmPassword);
}
