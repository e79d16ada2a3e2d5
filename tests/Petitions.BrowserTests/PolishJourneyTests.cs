using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// Issue 15 in Chromium: axe-core on every page kind, the sticky compact sign box, the phone menu, the start form's
/// keyboard default and goal fold, and screenshots at 1280 and 390 px (also copied to /work/screens/polish).
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class PolishJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string OrganizerName = "Riverside Friends";
    private const string Password = "a long organizer password";
    private static readonly string LongBody = string.Join("\n\n", Enumerable.Range(1, 14).Select(i =>
        $"## Part {i}\n\nThe riverside path floods every winter and the lights have been out for two years. " +
        "Families walk home in the dark along the water, and the council has the budget to fix it this year."));

    public static string ScreensFolder => Directory.Exists("/work/screens") ? "/work/screens/polish" : BrowserAppFixture.ScreenshotFolder;

    [Fact]
    public async Task EveryPageKind_HasNoSeriousOrCriticalAxeViolations()
    {
        var email = UniqueEmail("axe-organizer");
        var organizerId = await SeedOrganizerAsync(email);
        var (open, closed) = await SeedPetitionsAsync(organizerId);
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        var anonymous = new[]
        {
            "/", "/petitions", "/petitions?status=all", "/search?q=riverside", $"/p/{open.Slug}", $"/p/{closed.Slug}",
            "/privacy", "/accessibility", "/account/login", "/account/register", "/account/forgot-password", "/p/no-such-petition",
            $"/p/{open.Slug}/check-your-email", $"/p/{open.Slug}/embed", $"/fa/p/{open.Slug}", $"/fa/p/{closed.Slug}",
        };
        foreach (var path in anonymous)
        {
            await page.GotoAsync(path);
            await ExpectNoSeriousViolationsAsync(page, path);
        }

        // The sign form with errors, and the thank-you page.
        await page.GotoAsync($"/p/{open.Slug}");
        await SignButton(page).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(page, "sign form with errors");
        var supporter = UniqueEmail("axe-supporter");
        await page.GetByLabel("Full name", Exact).FillAsync("Ada Axe");
        await page.GetByLabel("Email address", Exact).FillAsync(supporter);
        await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await page.GetByLabel("Postcode or city", Exact).FillAsync("CB1 1AA");
        await SignButton(page).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
        var confirm = await app.Mailbox.WaitForEmailToAsync(supporter, EmailTimeout);
        await page.GotoAsync(ConfirmLink(confirm.Text));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for signing", Level = 1 })).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(page, "thank-you page");

        await LogInAsync(page, email);
        foreach (var path in new[] { "/dashboard", $"/dashboard/p/{open.Slug}", $"/dashboard/p/{closed.Slug}", "/start", $"/dashboard/p/{open.Slug}/edit", $"/dashboard/p/{closed.Slug}/edit", $"/dashboard/p/{open.Slug}/updates/new", $"/dashboard/p/{open.Slug}/close", "/account" })
        {
            await page.GotoAsync(path);
            await ExpectNoSeriousViolationsAsync(page, path);
        }
    }

    [Fact]
    public async Task SignBox_IsCompactAndSticky_TheButtonStaysInViewWhileReading()
    {
        var (open, _) = await SeedPetitionsAsync(await SeedOrganizerAsync(UniqueEmail("sticky")));
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/p/{open.Slug}");

        await Expect(SignButton(page)).ToBeInViewportAsync();
        await Expect(page.GetByLabel("Why are you signing?")).Not.ToBeVisibleAsync();
        await Expect(page.GetByLabel("Show my name and reason on this petition")).Not.ToBeCheckedAsync();
        await Shot(page, "petition-1280");
        await page.Locator(".sign-panel").ScreenshotAsync(new() { Path = Path.Combine(ScreensFolder, "sign-box-1280.png") });
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight / 2)");
        await Expect(SignButton(page)).ToBeInViewportAsync();

        // Opening the fold shows the reason and the choices; no script is needed for it.
        await page.Locator("details.sign-options > summary").ClickAsync();
        await Expect(page.GetByLabel("Why are you signing?")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Phone_PetitionPageHeaderAndMenu_WorkWithoutScript_AtAWidthOf390()
    {
        var email = UniqueEmail("phone");
        var (open, _) = await SeedPetitionsAsync(await SeedOrganizerAsync(email));
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/p/{open.Slug}");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await Shot(page, "petition-390");
        await page.Locator(".sign-panel").ScreenshotAsync(new() { Path = Path.Combine(ScreensFolder, "sign-box-390.png") });

        await LogInAsync(page, email);
        await page.GotoAsync("/dashboard");
        var header = page.Locator(".site-header");
        var menu = page.Locator("details.site-menu > summary");
        await Expect(menu).ToBeVisibleAsync();
        var account = header.GetByRole(AriaRole.Link, new() { Name = "Account", Exact = true });
        await Expect(account).Not.ToBeVisibleAsync();
        await menu.ClickAsync();
        await Expect(account).ToBeVisibleAsync();
        await Expect(header.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();
        await Shot(page, "dashboard-390-menu-open");
        await account.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUrl, "/account").ToString());
    }

    [Fact]
    public async Task StartForm_EnterInTheTitleSaves_AndTheGoalNumberShowsOnlyForAFixedGoal()
    {
        var email = UniqueEmail("start-enter");
        await SeedOrganizerAsync(email);
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await LogInAsync(page, email);
        await page.GotoAsync("/start");

        var goal = page.GetByLabel("Number of signatures (for a fixed goal)");
        await Expect(goal).Not.ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "A fixed number", Exact = true }).CheckAsync();
        await Expect(goal).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "Automatic: the goal grows in steps as signatures come in", Exact = true }).CheckAsync();
        await Expect(goal).Not.ToBeVisibleAsync();

        await page.GetByLabel("What are you asking for, and why?").FillAsync("Please light the riverside path before winter.");
        await page.Locator(".decision-maker-row").Nth(0).GetByLabel("Name", new() { Exact = true }).FillAsync("The Mayor");
        await page.GetByLabel("Category", Exact).SelectOptionAsync(new SelectOptionValue { Label = "Transport" });
        await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await page.GetByLabel("Postcode or city", Exact).FillAsync("CB1 1AA");
        var title = page.GetByLabel("Title", Exact);
        await title.FillAsync("Light the riverside path " + Guid.NewGuid().ToString("N")[..6]);
        await title.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/p/[a-z0-9-]+/preview$"));
        await Expect(page.Locator(".decision-maker-row")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ThankYouAndDashboard_Screenshots_At1280And390()
    {
        var email = UniqueEmail("shots");
        var (open, _) = await SeedPetitionsAsync(await SeedOrganizerAsync(email));
        foreach (var width in new[] { 1280, 390 })
        {
            await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = width == 390 ? 844 : 900 } });
            var page = await context.NewPageAsync();
            var supporter = UniqueEmail("thanks");
            await page.GotoAsync($"/p/{open.Slug}");
            await page.GetByLabel("Full name", Exact).FillAsync("Sam Thanks");
            await page.GetByLabel("Email address", Exact).FillAsync(supporter);
            await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
            await page.GetByLabel("Postcode or city", Exact).FillAsync("CB1 1AA");
            await SignButton(page).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
            var confirm = await app.Mailbox.WaitForEmailToAsync(supporter, EmailTimeout);
            await page.GotoAsync(ConfirmLink(confirm.Text));

            // The new count and the share buttons are above the fold.
            await Expect(page.Locator(".thanks-count .count")).ToBeInViewportAsync();
            await Expect(page.Locator(".share-links").GetByRole(AriaRole.Link, new() { Name = "WhatsApp" })).ToBeInViewportAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreensFolder, $"thank-you-{width}.png") });

            await LogInAsync(page, email);
            await page.GotoAsync($"/dashboard/p/{open.Slug}");
            await Shot(page, $"dashboard-{width}");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width);
        }
    }

    [Fact]
    public async Task AdminPagesAndAnEmailInMaildev_HaveNoSeriousOrCriticalAxeViolations()
    {
        var email = UniqueEmail("axe-admin");
        var (open, _) = await SeedPetitionsAsync(await SeedOrganizerAsync(email, AdminRoles.Admin));
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await LogInAsync(page, email);
        foreach (var path in new[] { "/admin", "/admin/reports", "/admin/users", "/admin/audit", $"/admin/petitions/{open.Slug}" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await ExpectNoSeriousViolationsAsync(page, path);
        }

        var supporter = UniqueEmail("axe-email");
        await SignAsync(page, open.Slug, supporter);
        var confirm = await app.Mailbox.WaitForEmailToAsync(supporter, EmailTimeout);
        await page.GotoAsync(new Uri(TestEnvironment.MailDevUrl, $"/email/{confirm.Id}/html").ToString());
        await Expect(page.GetByRole(AriaRole.Link).First).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(page, "confirmation email in maildev");
    }

    [Fact]
    public async Task Screenshots_PetitionSignBoxErrorsEmailAndPersianPage_At1280And390()
    {
        var (open, _) = await SeedPetitionsAsync(await SeedOrganizerAsync(UniqueEmail("screens")));
        foreach (var width in new[] { 1280, 390 })
        {
            await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = width == 390 ? 844 : 900 } });
            var page = await context.NewPageAsync();

            await page.GotoAsync($"/p/{open.Slug}");
            await Shot(page, $"petition-page-{width}");
            await ExpectNoSidewaysScrollAsync(page, width, "petition page");

            await SignButton(page).ClickAsync();
            await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
            await Expect(page.Locator(".sign-panel .field-error").First).ToBeVisibleAsync();
            await page.Locator(".sign-panel").ScreenshotAsync(new() { Path = Path.Combine(ScreensFolder, $"sign-box-errors-{width}.png") });
            await ExpectNoSidewaysScrollAsync(page, width, "sign box with errors");

            var supporter = UniqueEmail("screens-email");
            await SignAsync(page, open.Slug, supporter);
            var confirm = await app.Mailbox.WaitForEmailToAsync(supporter, EmailTimeout);
            await page.GotoAsync(new Uri(TestEnvironment.MailDevUrl, $"/email/{confirm.Id}/html").ToString());
            await Expect(page.GetByText(open.Title).First).ToBeVisibleAsync();
            await Shot(page, $"email-confirm-signature-{width}");
            await ExpectNoSidewaysScrollAsync(page, width, "confirmation email");

            await page.GotoAsync($"/fa/p/{open.Slug}");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            await Shot(page, $"petition-page-fa-{width}");
            await ExpectNoSidewaysScrollAsync(page, width, "Persian petition page");

            // Right to left: the sign box sits on the left of the text at desktop width, mirrored from English.
            if (width == 1280)
            {
                var body = await page.Locator(".petition-body").BoundingBoxAsync();
                var sign = await page.Locator(".sign-panel").BoundingBoxAsync();
                Assert.True(sign!.X < body!.X, $"In Persian the sign box ({sign.X}) should be left of the text ({body.X}).");
            }
        }
    }

    private static async Task SignAsync(IPage page, string slug, string email)
    {
        await page.GotoAsync($"/p/{slug}");
        await page.GetByLabel("Full name", Exact).FillAsync("Sam Screens");
        await page.GetByLabel("Email address", Exact).FillAsync(email);
        await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await page.GetByLabel("Postcode or city", Exact).FillAsync("CB1 1AA");
        await SignButton(page).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task ExpectNoSidewaysScrollAsync(IPage page, int width, string what)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"The {what} is {scrollWidth} px wide at {width} px.");
    }

    private async Task ExpectNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        output.WriteLine($"axe: {what}: {result.Violations.Length} minor or moderate");
    }

    private async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreensFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreensFolder, name + ".png"), FullPage = true });
        output.WriteLine($"Screenshot: {name}");
    }

    private static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email address", Exact).FillAsync(email);
        await page.GetByLabel("Password", Exact).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in", Level = 1 })).Not.ToBeVisibleAsync();
    }

    private static string ConfirmLink(string text) =>
        System.Text.RegularExpressions.Regex.Match(text, @"https?://[^\s""<>]+/s/confirm/[A-Za-z0-9_-]+").Value;

    private async Task<(Petition Open, Petition Closed)> SeedPetitionsAsync(string organizerId)
    {
        await using var db = app.CreateDbContext();
        var open = await PetitionBuilder.Realistic().WithTitle("Light the riverside path " + Guid.NewGuid().ToString("N")[..6])
            .WithBody(LongBody).OwnedBy(organizerId, OrganizerName).AddressedTo("The Mayor", "City Hall").WithConfirmedSupporters(6).SaveAsync(db);
        var closed = await PetitionBuilder.Realistic().WithTitle("Reopen the riverside library " + Guid.NewGuid().ToString("N")[..6])
            .OwnedBy(organizerId, OrganizerName).AddressedTo("The Mayor", "City Hall").WithConfirmedSupporters(2).SaveAsync(db);
        await db.Petitions.Where(p => p.Id == closed.Id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PetitionStatus.Closed).SetProperty(p => p.ClosedAt, (DateTimeOffset?)DateTimeOffset.UtcNow));
        return (open, closed);
    }

    private async Task<string> SeedOrganizerAsync(string email, string? role = null)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = OrganizerName, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (role is not null)
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }

            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }

        return user.Id;
    }
}
