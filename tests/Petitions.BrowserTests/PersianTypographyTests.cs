using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// What a Persian reader sees drawn, beyond the markup: list numbers, upright reasons, a refused email field and the
/// dashboard's country chart, measured in the browser because the HTML alone looks right.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class PersianTypographyTests(BrowserAppFixture app)
{
    private const string Password = "nine quiet lanterns by the lake";

    [Fact]
    public async Task PersianPetitionPage_CountsListsInPersianDigits_KeepsReasonsUpright_AndLaysOutTheSignBox()
    {
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle("دریاچهٔ ارومیه را نجات دهید")
                .WithBody("ما می‌خواهیم:\n\n1. حق‌آبهٔ دریاچه تأمین شود.\n2. ساخت سدهای تازه متوقف شود.\n")
                .StartedBy("دوستداران دریاچه").SaveAsync(db);
            petition.Language = "fa";
            var email = UniqueEmail("fa-reason");
            db.Signatures.Add(new Signature
            {
                PetitionId = petition.Id,
                FullName = "مریم رضایی",
                Email = email,
                NormalizedEmail = email,
                Country = "IR",
                PostcodeOrCity = "تبریز",
                Reason = "دریاچه بخشی از کودکی من است.",
                ShowPublicly = true,
                State = SignatureState.Confirmed,
                ConfirmationTokenHash = RandomNumberGenerator.GetBytes(32),
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-2),
                ConfirmedAt = DateTimeOffset.UtcNow.AddDays(-2),
            });
            await db.SaveChangesAsync();
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/fa/p/{petition.Slug}");
        Assert.Equal("persian", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.petition-body ol')).listStyleType"));
        await Expect(page.Locator(".supporter .reason").First).ToHaveTextAsync("دریاچه بخشی از کودکی من است.");
        Assert.Equal("normal", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.supporter .reason')).fontStyle"));

        // The "show my name" hint sits under its label, not squeezed in a column beside it.
        var label = await page.Locator("label[for=Form_ShowPublicly]").BoundingBoxAsync();
        var hint = await page.Locator("#Form_ShowPublicly-hint").BoundingBoxAsync();
        Assert.True(hint!.Y >= label!.Y + label.Height - 1, $"The hint (y {hint.Y}) should be under the label (bottom {label.Y + label.Height}).");

        // A refused address is written left to right; it starts at the field's left edge, with no room kept there for an icon.
        await page.Locator("#Form_Email").FillAsync("not-an-email");
        await page.Locator("form#sign button[type=submit]:not([tabindex])").ClickAsync();
        await Expect(page.Locator("#Form_Email")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        var padding = await page.EvaluateAsync<string[]>("() => { const s = getComputedStyle(document.querySelector('#Form_Email')); return [s.paddingLeft, s.paddingRight]; }");
        Assert.Equal(padding[1], padding[0]);
    }

    [Fact]
    public async Task PersianDashboardCountryChart_KeepsNamesAndCountsClearOfTheBars()
    {
        var email = UniqueEmail("fa-chart");
        var userId = await SeedUserAsync(email);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle("دریاچهٔ ارومیه را نجات دهید")
                .OwnedBy(userId, "دوستداران دریاچه").WithConfirmedSupporters(3).SaveAsync(db);
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await LogInInPersianAsync(page, email, Password);

        await page.GotoAsync($"/fa/dashboard/p/{petition.Slug}");
        var row = page.Locator("svg.country-chart[data-layout=wide] .country-row").First;
        await Expect(row.Locator("text").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[\u0600-\u06FF ]+$"));
        var name = await row.Locator("text").First.BoundingBoxAsync();
        var bar = await row.Locator("rect.bar").BoundingBoxAsync();
        var count = await row.Locator("text").Nth(1).BoundingBoxAsync();
        // Right to left: the name on the right of its bar, the count on its left, neither drawn over it.
        Assert.True(name!.X >= bar!.X + bar.Width - 1, $"The country's name (x {name.X}) overlaps its bar (right edge {bar.X + bar.Width}).");
        Assert.True(count!.X + count.Width <= bar.X + 1, $"The count (right edge {count.X + count.Width}) overlaps the bar (x {bar.X}).");

        // The day counts' scale stays right of the plot, outside the bars.
        var plot = await page.Locator("svg[data-chart=chart-overall][data-layout=wide] .y-axis line").First.BoundingBoxAsync();
        var tick = await page.Locator("svg[data-chart=chart-overall][data-layout=wide] .y-axis text").First.BoundingBoxAsync();
        Assert.True(tick!.X >= plot!.X + plot.Width - 1, $"The scale's label (x {tick.X}) is drawn inside the plot (right edge {plot.X + plot.Width}).");
    }

    private async Task<string> SeedUserAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "سارا کریمی", CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }
}
