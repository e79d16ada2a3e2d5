using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>A Persian speaker signs at /fa/p/{slug} and never meets English: the page, its errors, the email, the thank-you.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class PersianJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Title = "به رسمیت شناختن کشتار ۱۳۶۷ در سازمان ملل (UN)";

    [Fact]
    public async Task Journey_PersianPage_RightToLeft_PersianErrors_PersianEmailWhoseLinkConfirms()
    {
        var petition = await SeedAsync(PetitionBuilder.Realistic().WithTitle(Title)
            .WithBody("کشتار زندانیان سیاسی در تابستان ۱۳۶۷ بزرگ‌ترین نقض حقوق بشر در ایران است. از کمیساریای عالی حقوق بشر سازمان ملل می‌خواهیم آن را جنایت علیه بشریت بشناسد.")
            .WithConfirmedSupporters(2));
        var email = UniqueEmail("persian");
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/fa/p/{petition.Slug}");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fa");
        await Expect(page.Locator(".sign-panel .count")).ToHaveTextAsync("۲");
        await Expect(page.Locator(".starter-line")).ToContainTextAsync("۲ حامی");
        // Right to left: the sign panel sits to the left of the petition's text.
        var main = await page.Locator(".petition-main").BoundingBoxAsync();
        var panel = await page.Locator(".sign-panel").BoundingBoxAsync();
        Assert.True(panel!.X < main!.X, "In Persian the sign panel should be on the left, after the text.");
        await ShotAsync(page, "i18n-fa-petition-1280", output);

        var signButton = page.GetByRole(AriaRole.Button, new() { Name = "این دادخواست را امضا کنید", Exact = true });
        await page.GetByLabel("نام و نام خانوادگی", Exact).FillAsync("علی رضایی");
        await page.GetByLabel("کشور", Exact).SelectOptionAsync("IR");
        await page.GetByLabel("کد پستی یا شهر", Exact).FillAsync("تهران");
        var rejected = await page.RunAndWaitForResponseAsync(
            () => signButton.ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith($"/fa/p/{petition.Slug}/sign", StringComparison.Ordinal));
        Assert.Equal(400, rejected.Status);
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary.Locator("h2")).ToHaveTextAsync("مشکلی پیش آمده است");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "نشانی ایمیلتان را وارد کنید", Exact = true })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^خطا: "));
        await Expect(page.GetByLabel("نام و نام خانوادگی", Exact)).ToHaveValueAsync("علی رضایی");
        await Expect(page.Locator("#Form_Country option[value=IR]")).ToHaveTextAsync("ایران");
        await ShotAsync(page, "i18n-fa-errors", output);

        await page.GetByLabel("نشانی ایمیل", Exact).FillAsync(email);
        await signButton.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUrl, $"/fa/p/{petition.Slug}/check-your-email").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ایمیلتان را ببینید", Level = 1 })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            var signature = await db.Signatures.SingleAsync(s => s.PetitionId == petition.Id && s.Email == email);
            Assert.Equal(("علی رضایی", "IR", "fa"), (signature.FullName, signature.Country, signature.Language));
        }

        var message = await app.Mailbox.WaitForEmailToAsync(email, EmailTimeout);
        Assert.Equal($"امضایتان را تأیید کنید: {Title}", message.Subject);
        Assert.Contains("علی رضایی گرامی،", message.Text, StringComparison.Ordinal);
        Assert.Contains("محل: تهران، ایران", message.Text, StringComparison.Ordinal);
        Assert.Contains("dir=\"rtl\"", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Confirm", message.Text, StringComparison.Ordinal);
        var link = ConfirmLink().Match(message.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/fa/s/confirm/").ToString(), link, StringComparison.Ordinal);

        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "سپاس که امضا کردید", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await page.GetByRole(AriaRole.Link, new() { Name = "بازگشت به دادخواست", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUrl, $"/fa/p/{petition.Slug}").ToString());
        // The page is cached for a counting interval, so only a reload shows the new count.
        await WaitForCountTextAsync(page, "۳");
        await ShotAsync(page, "i18n-fa-counted", output);
    }

    [Fact]
    public async Task PhoneWidth_PersianPage_DoesNotScrollSideways()
    {
        var petition = await SeedAsync(PetitionBuilder.Realistic().WithTitle(Title).WithConfirmedSupporters(1234));
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/fa/p/{petition.Slug}");

        await Expect(page.Locator(".mobile-count")).ToContainTextAsync("۱٬۲۳۴");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The Persian petition page is {width} px wide at 390 px.");
        await ShotAsync(page, "i18n-fa-petition-390", output);
    }

    private async Task<Petition> SeedAsync(PetitionBuilder builder)
    {
        await using var db = app.CreateDbContext();
        return await builder.SaveAsync(db);
    }

    [GeneratedRegex(@"https?://\S+/s/confirm/\S+")]
    private static partial Regex ConfirmLink();
}
