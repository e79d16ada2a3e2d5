using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Integrity;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// Issue 11's integrity journey: a script signs one petition 50 times from one address and confirms 30 of them; the
/// trending job lists the address on /admin; the moderator follows it to the invalidation, gives a reason, and the
/// petition page's count drops by exactly the 30 confirmed ones.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class IntegrityJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Password = "seven slow owls at dusk";
    private const int Signatures = 50;
    private const int Confirmed = 30;

    [Fact]
    public async Task Journey_ScriptedRunFromOneAddress_IsTrending_ModeratorInvalidates_CountDropsByTheConfirmedOnes()
    {
        var title = $"Save the Harrowgate footbridge {Guid.NewGuid():N}"[..42];
        var moderatorEmail = UniqueEmail("moderator");
        await SeedModeratorAsync(moderatorEmail);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle(title).WithConfirmedSupporters(3).SaveAsync(db);
        }

        // 1. The script: 50 sign POSTs from one address, 30 of them confirmed through their emails.
        await using var strangerContext = await app.NewContextAsync();
        var stranger = await strangerContext.NewPageAsync();
        await stranger.GotoAsync($"/p/{petition.Slug}");
        var before = await ReadCountAsync(stranger);
        var emails = Enumerable.Range(0, Signatures).Select(i => UniqueEmail($"bot{i}")).ToList();
        foreach (var email in emails)
        {
            var form = strangerContext.APIRequest.CreateFormData();
            form.Set("Form.FullName", "Robo Signer");
            form.Set("Form.Email", email);
            form.Set("Form.Country", "GB");
            form.Set("Form.PostcodeOrCity", "Leeds");
            var response = await strangerContext.APIRequest.PostAsync($"/p/{petition.Slug}/sign", new()
            {
                Form = form,
                MaxRedirects = 0,
                Headers = new Dictionary<string, string> { ["Origin"] = app.BaseUrl.GetLeftPart(UriPartial.Authority) },
            });
            Assert.True(response.Status is 302 or 303, $"signing answered {response.Status}");
        }

        foreach (var email in emails.Take(Confirmed))
        {
            var message = await app.Mailbox.WaitForEmailToAsync(email, EmailTimeout);
            var link = ConfirmLink().Match(message.Text).Value;
            Assert.True((await strangerContext.APIRequest.GetAsync(link)).Ok);
        }

        await WaitForCountAsync(stranger, before + Confirmed);

        // 2. The trending job finds the address.
        var worker = app.App.Services.GetRequiredService<TrendingWorker>();
        var found = await worker.RunOnceAsync(CancellationToken.None);
        for (var tries = 0; found is null && tries < 100; tries++)
        {
            await Task.Delay(100);
            found = await worker.RunOnceAsync(CancellationToken.None);
        }

        Assert.NotNull(found);

        // 3. The moderator sees it on /admin and invalidates its signatures with a reason.
        await using var moderatorContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var moderator = await moderatorContext.NewPageAsync();
        await LogInAsync(moderator, moderatorEmail);
        await moderator.GotoAsync("/admin");
        var finding = moderator.Locator("tr.trending-finding[data-kind=Ip]").Filter(new() { HasText = title });
        await Expect(finding).ToContainTextAsync("127.0.0.1");
        await Expect(finding).ToContainTextAsync(Signatures.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ShotAsync(moderator, "integrity-01-trending", output);
        await finding.GetByRole(AriaRole.Link, new() { Name = "See signatures from 127.0.0.1", Exact = true }).ClickAsync();
        await Expect(moderator.Locator("[data-count=matches]")).ToHaveTextAsync("50");
        await ShotAsync(moderator, "integrity-02-search", output);
        await moderator.GetByRole(AriaRole.Link, new() { Name = "Invalidate the 50 confirmed and pending ones…", Exact = true }).ClickAsync();
        await Expect(moderator.Locator("[data-count=invalidatable]")).ToHaveTextAsync("50");
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Invalidate 50 signatures", Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".error-summary")).ToContainTextAsync("Say why these signatures are invalidated");
        await moderator.GetByLabel("Reason (kept with the signatures and in the audit log)", Exact).FillAsync("Scripted run from one address");
        await ShotAsync(moderator, "integrity-03-invalidate", output);
        await moderator.GetByRole(AriaRole.Button, new() { Name = "Invalidate 50 signatures", Exact = true }).ClickAsync();
        await Expect(moderator.Locator(".alert-success")).ToContainTextAsync($"Invalidated {Confirmed} confirmed and {Signatures - Confirmed} pending signatures");

        // 4. The petition page's count drops by exactly the confirmed ones (the counter runs in batches: poll).
        await WaitForCountAsync(stranger, before);
    }

    [GeneratedRegex(@"/s/confirm/[A-Za-z0-9_\-]+")]
    private static partial Regex ConfirmLink();

    private static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email address", Exact).FillAsync(email);
        await page.GetByLabel("Password", Exact).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
    }

    private async Task SeedModeratorAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Mo Moderator", CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (!await roles.RoleExistsAsync(AdminRoles.Moderator))
        {
            await roles.CreateAsync(new IdentityRole(AdminRoles.Moderator));
        }

        Assert.True((await users.AddToRoleAsync(user, AdminRoles.Moderator)).Succeeded);
    }
}
