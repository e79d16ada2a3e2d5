using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// A Persian moderator's home and review page (with a hide form's errors), at 1280 and 390 px: right to left, no
/// sideways scrolling, labels and table headers on the right. Screenshots also go to /work/screens when it exists.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class PersianModerationScreenshotTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Password = "seven amber kites at dusk";

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task PersianModerationPages_AreRightToLeft(int width)
    {
        var email = UniqueEmail("fa-moderator");
        await SeedModeratorAsync(email);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle("آزادی زندانیان سیاسی در ایران (UN)")
                .WithBody("ما از کمیساریای عالی حقوق بشر سازمان ملل می‌خواهیم برای آزادی زندانیان سیاسی اقدام کند.")
                .StartedBy("مریم رضایی").WithConfirmedSupporters(3).SaveAsync(db);
            // No report: the browser tests share one database, and the moderation journey counts the open reports.
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        await LogInInPersianAsync(page, email, Password);

        await page.GotoAsync("/fa/admin");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "نظارت", Level = 1 })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-moderation-home-{width}");

        await page.GotoAsync($"/fa/admin/petitions/{petition.Slug}");
        await page.GetByLabel("دلیل", Exact).Last.SelectOptionAsync("Other");
        await page.GetByRole(AriaRole.Button, new() { Name = "پنهان کردن دادخواست", Exact = true }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("بنویسید آن دلیل دیگر چیست");
        var heading = await summary.Locator("h2").BoundingBoxAsync();
        var box = await summary.BoundingBoxAsync();
        Assert.True(heading!.X + heading.Width > box!.X + box.Width - 40, "The error summary's heading should sit on the right.");
        var label = await page.Locator("label[for=Form_Note]").BoundingBoxAsync();
        var input = await page.Locator("#Form_Note").BoundingBoxAsync();
        Assert.True(label!.X + label.Width > input!.X + input.Width - 40, "The note's label should start at the right.");
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-moderation-review-errors-{width}");
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{page.Url} is {scrollWidth} px wide at {width} px.");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        await JourneySteps.ShotAsync(page, name, output);
        if (Directory.Exists("/work/screens"))
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine("/work/screens", name + ".png"), FullPage = true });
        }
    }

    private async Task SeedModeratorAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "ناظر", CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (!await roles.RoleExistsAsync(AdminRoles.Moderator))
        {
            await roles.CreateAsync(new IdentityRole(AdminRoles.Moderator));
        }

        Assert.True((await users.AddToRoleAsync(user, AdminRoles.Moderator)).Succeeded);
    }
}
