using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// A Persian organizer's start form (with its errors) and dashboard, at 1280 and 390 px: right to left, no sideways
/// scrolling, the error summary and labels on the right. Screenshots also go to /work/screens when it exists.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class PersianOrganizerScreenshotTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Password = "correct horse battery staple";

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task PersianStartFormAndDashboard_AreRightToLeft(int width)
    {
        var email = $"fa-organizer-{Guid.NewGuid():N}@example.test";
        var userId = await SeedUserAsync(email, "مریم رضایی");
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle("آزادی زندانیان سیاسی در ایران (UN)")
                .WithBody("ما از کمیساریای عالی حقوق بشر سازمان ملل می‌خواهیم برای آزادی زندانیان سیاسی اقدام کند.")
                .OwnedBy(userId, "مریم رضایی").WithConfirmedSupporters(3).WithPendingSupporters(1).SaveAsync(db);
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        await LogInInPersianAsync(page, email, Password);

        await page.GotoAsync("/fa/start");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "راه‌اندازی دادخواست", Level = 1 })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-start-{width}");

        await page.GetByRole(AriaRole.Button, new() { Name = "ذخیره و پیش‌نمایش", Exact = true }).Last.ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("عنوانی برای دادخواست خود بنویسید");
        // Right to left: the error summary's text and the field labels start at the right edge.
        var heading = await summary.Locator("h2").BoundingBoxAsync();
        var box = await summary.BoundingBoxAsync();
        Assert.True(heading!.X + heading.Width > box!.X + box.Width - 40, "The error summary's heading should sit on the right.");
        var label = await page.Locator("label[for=Title]").BoundingBoxAsync();
        var input = await page.Locator("#Title").BoundingBoxAsync();
        Assert.True(label!.X + label.Width > input!.X + input.Width - 40, "The Title label should start at the right.");
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-start-errors-{width}");

        await page.GotoAsync("/fa/dashboard");
        await Expect(page.Locator(".dashboard-count").First).ToHaveTextAsync("۳");
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-dashboard-{width}");

        await page.GotoAsync($"/fa/dashboard/p/{petition.Slug}");
        await Expect(page.Locator("[data-stat=confirmed]")).ToHaveTextAsync("۳");
        await Expect(page.Locator("#timeline-heading")).ToHaveTextAsync("امضاها در گذر زمان");
        await AssertNoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"fa-dashboard-petition-{width}");
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

    private async Task<string> SeedUserAsync(string email, string name)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }
}
