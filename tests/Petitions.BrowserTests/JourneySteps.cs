using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Petitions.BrowserTests;

/// <summary>Steps and lookups that several journeys share.</summary>
public static class JourneySteps
{
    // Upper bounds only, generous because the test machine may be busy; passing runs take a second or two.
    public static readonly TimeSpan EmailTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(60);
    public static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    public static ILocator SignButton(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { Name = "Sign this petition", Exact = true });

    /// <summary>The reason and email choices fold under a summary (no script needed); opens them if they are shut.</summary>
    public static async Task OpenSignOptionsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var options = page.Locator("details.sign-options");
        if (await options.GetAttributeAsync("open") is null)
        {
            await options.Locator("summary").ClickAsync();
        }
    }

    /// <summary>Logs in through the Persian login page, as a Persian-speaking organizer or moderator would.</summary>
    public static async Task LogInInPersianAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/fa/account/login");
        await page.GetByLabel("نشانی ایمیل", Exact).FillAsync(email);
        await page.GetByLabel("گذرواژه", Exact).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود", Exact = true }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    /// <summary>Every journey uses fresh addresses, so its emails and rows never mix with another test's.</summary>
    public static string UniqueEmail(string purpose) => $"{purpose}-{Guid.NewGuid():N}@example.test";

    public static async Task<int> ReadCountAsync(IPage page)
    {
        var text = await page.Locator(".sign-panel .count").InnerTextAsync();
        return int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    /// <summary>The count is updated by a background batch every fraction of a second, so reload until it shows.</summary>
    public static async Task WaitForCountAsync(IPage page, int expected)
    {
        var clock = Stopwatch.StartNew();
        var shown = await ReadCountAsync(page);
        while (shown != expected && clock.Elapsed < CountTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            await page.ReloadAsync();
            shown = await ReadCountAsync(page);
        }

        Assert.Equal(expected, shown);
    }

    /// <summary>As <see cref="WaitForCountAsync(IPage, int)"/>, for a count shown in another script's digits ("۳").</summary>
    public static async Task WaitForCountTextAsync(IPage page, string expected)
    {
        ArgumentNullException.ThrowIfNull(page);
        var count = page.Locator(".sign-panel .count");
        var clock = Stopwatch.StartNew();
        var shown = await count.InnerTextAsync();
        while (shown != expected && clock.Elapsed < CountTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            await page.ReloadAsync();
            shown = await count.InnerTextAsync();
        }

        Assert.Equal(expected, shown);
    }

    public static async Task ShotAsync(IPage page, string name, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(output);
        var path = Path.Combine(BrowserAppFixture.ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
    }
}
