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
/// Issue 11 in Chromium: a stranger reports a petition, a moderator hides it from the reports, it answers 410 and is
/// gone from browse, search and the JSON API, the owner is emailed, and an admin restores it. Then pre-moderation:
/// publish, awaiting, reject, edit, send again, approve, open.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class ModerationJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Password = "nine quiet herons at noon";

    [Fact]
    public async Task Journey_StrangerReports_ModeratorHides_410AndGone_OwnerEmailed_AdminRestores()
    {
        var title = $"Keep the Brackenfold library open {Guid.NewGuid():N}"[..44];
        var ownerEmail = UniqueEmail("owner");
        var ownerId = await SeedUserAsync(ownerEmail, "Brackenfold Readers", null);
        var moderatorEmail = UniqueEmail("moderator");
        await SeedUserAsync(moderatorEmail, "Morgan Moderator", AdminRoles.Moderator);
        var adminEmail = UniqueEmail("admin");
        await SeedUserAsync(adminEmail, "Ada Admin", AdminRoles.Admin);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle(title).OwnedBy(ownerId, "Brackenfold Readers").SaveAsync(db);
        }

        // 1. A stranger reports it from the petition page.
        await using var strangerContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var stranger = await strangerContext.NewPageAsync();
        await stranger.GotoAsync($"/p/{petition.Slug}");
        await stranger.GetByRole(AriaRole.Link, new() { Name = "Report this petition", Exact = true }).ClickAsync();
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Report this petition", Level = 1 })).ToBeVisibleAsync();
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Send report", Exact = true }).ClickAsync();
        await Expect(stranger.Locator(".error-summary")).ToContainTextAsync("Choose why you are reporting this petition");
        await stranger.GetByLabel("Why are you reporting it?", Exact).SelectOptionAsync("Spam");
        await stranger.GetByLabel("Details (optional)", Exact).FillAsync("It advertises a shop.");
        await ShotAsync(stranger, "moderation-01-report", output);
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Send report", Exact = true }).ClickAsync();
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Thank you for your report", Level = 1 })).ToBeVisibleAsync();

        // 2. The moderator finds it in the reports and hides it with a reason.
        await using var moderatorContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var moderator = await moderatorContext.NewPageAsync();
        await LogInAsync(moderator, moderatorEmail);
        await moderator.GotoAsync("/admin");
        await Expect(moderator.Locator("[data-count=reports]")).ToHaveTextAsync("1");
        await moderator.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await moderator.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".reports")).ToContainTextAsync("It advertises a shop.");
        await moderator.GetByLabel("Reason", Exact).SelectOptionAsync("Spam");
        await moderator.GetByLabel("Note to the owner (required for another reason)", Exact).FillAsync("Please keep to the library.");
        await ShotAsync(moderator, "moderation-02-review", output);
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Hide petition", Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".petition-status")).ToHaveTextAsync("hidden by the moderators");

        // 3. The petition answers 410 and is gone from browse, search and JSON.
        var gone = await stranger.GotoAsync($"/p/{petition.Slug}");
        Assert.Equal(410, gone!.Status);
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "This petition has been removed", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(stranger, "moderation-03-removed", output);
        await stranger.GotoAsync("/petitions");
        await Expect(stranger.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(title);
        await stranger.GotoAsync("/search?q=Brackenfold");
        await Expect(stranger.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(title);
        var json = await stranger.APIRequest.GetAsync($"/p/{petition.Slug}.json");
        Assert.Equal(404, json.Status);
        var list = await stranger.APIRequest.GetAsync("/petitions.json");
        Assert.DoesNotContain(title, await list.TextAsync(), StringComparison.Ordinal);

        // 4. The owner is told why.
        var email = await app.Mailbox.WaitForEmailToAsync(ownerEmail, $"Your petition was removed: \u2068{title}\u2069", EmailTimeout);
        Assert.Contains("It is spam or advertising", email.Text, StringComparison.Ordinal);
        Assert.Contains("Please keep to the library.", email.Text, StringComparison.Ordinal);

        // 5. An admin restores it, and it is back.
        await using var adminContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var admin = await adminContext.NewPageAsync();
        await LogInAsync(admin, adminEmail);
        await admin.GotoAsync("/admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Restore petition", Exact = true }).ClickAsync();
        await Expect(admin.Locator(".petition-status")).ToHaveTextAsync("open");
        var back = await stranger.GotoAsync($"/p/{petition.Slug}");
        Assert.Equal(200, back!.Status);
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        // The audit log is shared with the other journeys in this class: this petition's entries are the hide and the restore.
        await admin.GotoAsync($"/admin/audit?petition={petition.Slug}");
        await Expect(admin.Locator(".audit-total")).ToHaveTextAsync("2 entries");
        await ShotAsync(admin, "moderation-04-audit", output);
    }

    [Fact]
    public async Task Journey_PreModeration_Publish_Awaiting_Reject_Edit_Resubmit_Approve()
    {
        await using var site = new PetitionsWebApp(app.ConnectionString, BrowserAppFixture.FreeTcpPort(), new Dictionary<string, string> { ["Moderation:Mode"] = "PreModeration" });
        site.Start();
        var title = $"Plant fruit trees in Ashcombe Park {Guid.NewGuid():N}"[..42];
        var ownerEmail = UniqueEmail("owner");
        var ownerId = await SeedUserAsync(ownerEmail, "Ashcombe Growers", null);
        var moderatorEmail = UniqueEmail("moderator");
        await SeedUserAsync(moderatorEmail, "Morgan Moderator", AdminRoles.Moderator);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle(title).OwnedBy(ownerId, "Ashcombe Growers").SaveAsync(db);
            await db.Petitions.Where(p => p.Id == petition.Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.Status, PetitionStatus.Draft).SetProperty(x => x.PublishedAt, (DateTimeOffset?)null));
        }

        var context = new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 }, BaseURL = site.BaseUrl.ToString() };
        await using var ownerContext = await app.Browser.NewContextAsync(context);
        var owner = await ownerContext.NewPageAsync();
        await LogInAsync(owner, ownerEmail);
        await owner.GotoAsync($"/dashboard/p/{petition.Slug}/preview");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Publish petition", Exact = true }).ClickAsync();
        await Expect(owner.Locator(".moderation-notice")).ToContainTextAsync("Awaiting moderation");
        await ShotAsync(owner, "premoderation-01-awaiting", output);
        var hidden = await owner.Context.APIRequest.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(404, hidden.Status);

        await using var moderatorContext = await app.Browser.NewContextAsync(context);
        var moderator = await moderatorContext.NewPageAsync();
        await LogInAsync(moderator, moderatorEmail);
        await moderator.GotoAsync("/admin");
        await moderator.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await moderator.GetByLabel("Reason", Exact).SelectOptionAsync("NotAPetition");
        await moderator.GetByLabel("Note to the owner (required for another reason)", Exact).FillAsync("Say who should plant them.");
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Reject petition", Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".petition-status")).ToHaveTextAsync("rejected");
        var rejection = await app.Mailbox.WaitForEmailToAsync(ownerEmail, $"Your petition was not approved: \u2068{title}\u2069", EmailTimeout);
        Assert.Contains("Say who should plant them.", rejection.Text, StringComparison.Ordinal);

        await owner.GotoAsync($"/dashboard/p/{petition.Slug}");
        await Expect(owner.Locator(".moderation-notice")).ToContainTextAsync("did not approve");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).First.ClickAsync();
        await owner.GetByLabel("Title", Exact).FillAsync(title + " (council)");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send to the moderators again", Exact = true }).ClickAsync();
        await Expect(owner.Locator(".moderation-notice")).ToContainTextAsync("Awaiting moderation");

        await moderator.GotoAsync("/admin");
        await moderator.GetByRole(AriaRole.Link, new() { Name = title + " (council)", Exact = true }).ClickAsync();
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Approve petition", Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".petition-status")).ToHaveTextAsync("open");
        await app.Mailbox.WaitForEmailToAsync(ownerEmail, $"Your petition is live: \u2068{title} (council)\u2069", EmailTimeout);

        await owner.GotoAsync($"/p/{petition.Slug}");
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = title + " (council)", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(owner, "premoderation-02-open", output);
    }

    private static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email address", Exact).FillAsync(email);
        await page.GetByLabel("Password", Exact).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    private async Task<string> SeedUserAsync(string email, string name, string? role)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (role is not null)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }

            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }

        return user.Id;
    }
}
