using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>A supporter opens a petition in Chromium, signs it, confirms by email and sees the count rise.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class SigningJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{

    [Fact]
    public async Task Journey_FailValidationOnce_FixIt_ConfirmFromEmail_CountRises()
    {
        var petition = await SeedAsync(PetitionBuilder.Realistic().WithConfirmedSupporters(3));
        var email = UniqueEmail("journey");
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/p/{petition.Slug}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();
        var before = await ReadCountAsync(page);
        Assert.Equal(3, before);
        await ShotAsync(page, "journey-1-petition", output);

        // One mistake: everything but the email address.
        await page.GetByLabel("Full name", Exact).FillAsync("Robin Ashdown");
        await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await page.GetByLabel("Postcode or city", Exact).FillAsync("EF1 2AB");
        await OpenSignOptionsAsync(page);
        await page.GetByLabel("Why are you signing?").FillAsync("My street has no trees at all.");
        await page.GetByLabel("Email me updates about this petition").CheckAsync();
        // Showing the name is never pre-ticked; this supporter chooses it, so the name and reason are listed later.
        var showName = page.GetByLabel("Show my name and reason on this petition");
        await Expect(showName).Not.ToBeCheckedAsync();
        await showName.CheckAsync();
        var rejected = await page.RunAndWaitForResponseAsync(
            () => SignButton(page).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith($"/p/{petition.Slug}/sign", StringComparison.Ordinal));
        Assert.Equal(400, rejected.Status);

        var summary = page.Locator(".error-summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        var summaryLink = summary.GetByRole(AriaRole.Link, new() { Name = "Enter your email address", Exact = true });
        await Expect(summaryLink).ToHaveAttributeAsync("href", "#Form_Email");
        await Expect(page).ToHaveTitleAsync(ErrorTitle());
        var emailField = page.GetByLabel("Email address", Exact);
        await Expect(page.Locator("#Form_Email-error")).ToContainTextAsync("Enter your email address");
        await Expect(emailField).ToHaveAttributeAsync("aria-describedby", FieldErrorReference());
        await Expect(page.GetByLabel("Full name", Exact)).ToHaveValueAsync("Robin Ashdown");
        await Expect(page.GetByLabel("Country", Exact)).ToHaveValueAsync("GB");
        await Expect(page.GetByLabel("Postcode or city", Exact)).ToHaveValueAsync("EF1 2AB");
        await Expect(page.GetByLabel("Why are you signing?")).ToHaveValueAsync("My street has no trees at all.");
        await Expect(page.GetByLabel("Email me updates about this petition")).ToBeCheckedAsync();
        await Expect(showName).ToBeCheckedAsync();
        await ShotAsync(page, "journey-2-error", output);
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(3, await db.Signatures.CountAsync(s => s.PetitionId == petition.Id));
        }

        // Fix it, arriving at the field the way a supporter would: through the summary's link.
        await summaryLink.ClickAsync();
        await Expect(emailField).ToBeFocusedAsync();
        await Expect(emailField).ToBeInViewportAsync();
        await emailField.FillAsync(email);
        await SignButton(page).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUrl, $"/p/{petition.Slug}/check-your-email").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Check your email"));
        await ShotAsync(page, "journey-3-check-your-email", output);
        await using (var db = app.CreateDbContext())
        {
            var signature = await db.Signatures.SingleAsync(s => s.PetitionId == petition.Id && s.Email == email);
            Assert.Equal(SignatureState.Pending, signature.State);
            Assert.Equal(("Robin Ashdown", "GB", "EF1 2AB", "My street has no trees at all."), (signature.FullName, signature.Country, signature.PostcodeOrCity, signature.Reason));
            Assert.True(signature.EmailUpdates);
            Assert.True(signature.ShowPublicly);
        }

        var message = await app.Mailbox.WaitForEmailToAsync(email, EmailTimeout);
        Assert.Equal($"Confirm your signature: {petition.Title}", message.Subject);
        var link = ConfirmLink().Match(message.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/s/confirm/").ToString(), link, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", message.Html, StringComparison.Ordinal);

        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for signing", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(page, "journey-4-thank-you", output);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the petition", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUrl, $"/p/{petition.Slug}").ToString());
        await WaitForCountAsync(page, before + 1);
        await Expect(page.Locator(".starter-line")).ToContainTextAsync($"now has {before + 1} supporters");
        await Expect(page.Locator(".supporters .supporter", new() { HasText = "Robin Ashdown" }))
            .ToContainTextAsync("My street has no trees at all.");
        await ShotAsync(page, "journey-5-counted", output);
    }

    [Fact]
    public async Task PhoneWidth_SignLinkNearTopJumpsToForm_AndNothingScrollsSideways()
    {
        var petition = await SeedAsync(PetitionBuilder.Realistic().WithConfirmedSupporters(7));
        await using var context = await app.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/p/{petition.Slug}");
        var jump = page.GetByRole(AriaRole.Link, new() { Name = "Sign this petition", Exact = true });
        await Expect(jump).ToBeInViewportAsync();
        await Expect(page.Locator(".mobile-count")).ToContainTextAsync("7 have signed");
        Assert.True(await ScrollWidthAsync(page) <= 390, "The petition page scrolls sideways at 390 px.");
        await ShotAsync(page, "phone-1-petition", output);

        var fullName = page.GetByLabel("Full name", Exact);
        await Expect(fullName).Not.ToBeInViewportAsync();
        await jump.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#sign$"));
        await Expect(fullName).ToBeInViewportAsync();
        await ShotAsync(page, "phone-2-form", output);

        await SignButton(page).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(ErrorTitle());
        Assert.True(await ScrollWidthAsync(page) <= 390, "The petition page with errors scrolls sideways at 390 px.");
        await ShotAsync(page, "phone-3-errors", output);
    }

    [Fact]
    public async Task KeyboardOnly_TabThroughFormTypeAndPressEnter_Signs()
    {
        var petition = await SeedAsync(PetitionBuilder.Realistic());
        var email = UniqueEmail("keyboard");
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/p/{petition.Slug}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();

        // From the top of the page, Tab alone must reach the form.
        var fullName = page.GetByLabel("Full name", Exact);
        for (var presses = 0; presses < 100 && !await IsFocusedAsync(fullName); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(fullName).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Kim Keyboard");
        await TabToAsync(page, page.GetByLabel("Email address", Exact));
        await page.Keyboard.TypeAsync(email);
        var country = page.GetByLabel("Country", Exact);
        await TabToAsync(page, country);
        // Type-ahead picks the option, as it does for anyone using a keyboard.
        await page.Keyboard.TypeAsync("Germany");
        await Expect(country).ToHaveValueAsync("DE");
        await TabToAsync(page, page.GetByLabel("Postcode or city", Exact));
        await page.Keyboard.TypeAsync("10115");
        // The optional part is folded in a <details>: Enter on its summary opens it.
        var options = page.Locator("details.sign-options > summary");
        await TabToAsync(page, options);
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Why are you signing?"));
        await page.Keyboard.TypeAsync("Typed without a mouse.");
        var updates = page.GetByLabel("Email me updates about this petition");
        await TabToAsync(page, updates);
        await page.Keyboard.PressAsync("Space");
        await Expect(updates).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByLabel("Share my email address with the petition's organizer"));
        // Showing the name is never pre-ticked; this supporter chooses it.
        var showName = page.GetByLabel("Show my name and reason on this petition");
        await TabToAsync(page, showName);
        await Expect(showName).Not.ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Space");
        // The honeypot is skipped (tabindex -1): the next stop is the button.
        await TabToAsync(page, SignButton(page));
        await ShotAsync(page, "keyboard-1-filled", output);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(page, "keyboard-2-check-your-email", output);
        await using (var db = app.CreateDbContext())
        {
            var signature = await db.Signatures.SingleAsync(s => s.PetitionId == petition.Id && s.Email == email);
            Assert.Equal(SignatureState.Pending, signature.State);
            Assert.Equal(("Kim Keyboard", "DE", "10115", "Typed without a mouse."), (signature.FullName, signature.Country, signature.PostcodeOrCity, signature.Reason));
            Assert.True(signature.ShowPublicly);
            Assert.True(signature.EmailUpdates);
            Assert.False(signature.ShareEmailWithOrganizer);
        }

        var message = await app.Mailbox.WaitForEmailToAsync(email, EmailTimeout);
        Assert.Equal($"Confirm your signature: {petition.Title}", message.Subject);
    }

    private static async Task TabToAsync(IPage page, ILocator expected)
    {
        await page.Keyboard.PressAsync("Tab");
        await Expect(expected).ToBeFocusedAsync();
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("element => element === document.activeElement");

    private static Task<int> ScrollWidthAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    private async Task<Petition> SeedAsync(PetitionBuilder builder)
    {
        await using var db = app.CreateDbContext();
        return await builder.SaveAsync(db);
    }

    [GeneratedRegex("^Error: ")]
    private static partial Regex ErrorTitle();

    [GeneratedRegex(@"\bForm_Email-error\b")]
    private static partial Regex FieldErrorReference();

    [GeneratedRegex(@"https?://[^\s""<>]+/s/confirm/[^\s""<>]+")]
    private static partial Regex ConfirmLink();
}
