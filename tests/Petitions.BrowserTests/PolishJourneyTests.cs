using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
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
            $"/p/{open.Slug}/check-your-email",
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
        var open = await new PetitionBuilder().WithTitle("Light the riverside path " + Guid.NewGuid().ToString("N")[..6])
            .WithBody(LongBody).OwnedBy(organizerId, OrganizerName).AddressedTo("The Mayor", "City Hall").WithConfirmedSupporters(6).SaveAsync(db);
        var closed = await new PetitionBuilder().WithTitle("Reopen the riverside library " + Guid.NewGuid().ToString("N")[..6])
            .OwnedBy(organizerId, OrganizerName).AddressedTo("The Mayor", "City Hall").WithConfirmedSupporters(2).SaveAsync(db);
        await db.Petitions.Where(p => p.Id == closed.Id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PetitionStatus.Closed).SetProperty(p => p.ClosedAt, (DateTimeOffset?)DateTimeOffset.UtcNow));
        return (open, closed);
    }

    private async Task<string> SeedOrganizerAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = OrganizerName, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }
}
