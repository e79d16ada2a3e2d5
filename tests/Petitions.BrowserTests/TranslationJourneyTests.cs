using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>An organizer adds a French translation; a French supporter signs at /fr/p/{slug}; one count for both.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class TranslationJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Password = "one petition in many languages";
    private const string Title = "Keep the Croft Street swimming pool open";
    private const string FrenchTitle = "Gardez la piscine de la rue Croft ouverte";
    private const string FrenchText = "La piscine accueille chaque semaine les écoles du quartier. Nous demandons au conseil de la **garder ouverte**.";

    [Fact]
    public async Task Journey_OrganizerAddsAFrenchTranslation_FrenchSupporterSignsAndConfirms_TheEnglishCountIncludesIt()
    {
        var organizerEmail = UniqueEmail("croft-pool");
        var organizerId = await SeedOrganizerAsync(organizerEmail);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle(Title).OwnedBy(organizerId, "Croft Street Swimmers").WithConfirmedSupporters(2).SaveAsync(db);
        }

        // 1. The organizer adds the French translation from the petition's dashboard.
        await using var organizerContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var organizer = await organizerContext.NewPageAsync();
        await organizer.GotoAsync("/account/login");
        await organizer.GetByLabel("Email address", Exact).FillAsync(organizerEmail);
        await organizer.GetByLabel("Password", Exact).FillAsync(Password);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(organizer).Not.ToHaveURLAsync(new Regex("/account/login"));
        await organizer.GotoAsync($"/dashboard/p/{petition.Slug}");
        await organizer.GetByRole(AriaRole.Link, new() { Name = "Translations", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Translations", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByRole(AriaRole.Link, new() { Name = "Add a translation into French", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Translate into French", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByLabel("Title", Exact).FillAsync(FrenchTitle);
        await organizer.GetByLabel("Text", Exact).FillAsync(FrenchText);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Save the translation", Exact = true }).ClickAsync();
        await Expect(organizer).ToHaveURLAsync(new Uri(app.BaseUrl, $"/dashboard/p/{petition.Slug}/translations").ToString());
        await Expect(organizer.Locator(".translations-table")).ToContainTextAsync(FrenchTitle);
        await ShotAsync(organizer, "translations-01-list", output);

        // 2. A French supporter opens the French page: the translation, with a note and the original one click away.
        var email = UniqueEmail("camille");
        await using var supporterContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var supporter = await supporterContext.NewPageAsync();
        await supporter.GotoAsync($"/fr/p/{petition.Slug}");
        var heading = supporter.Locator("#petition-title");
        await Expect(heading).ToHaveTextAsync(FrenchTitle);
        await Expect(heading).ToHaveAttributeAsync("lang", "fr");
        await Expect(supporter.Locator(".petition-body strong")).ToHaveTextAsync("garder ouverte");
        await Expect(supporter.Locator(".translation-note")).ToContainTextAsync("Traduit de l’anglais");
        // The panel can hold the number more than once; the first is the headline count.
        await Expect(supporter.Locator(".sign-panel .count").First).ToHaveTextAsync("2");
        await ShotAsync(supporter, "translations-02-french-page", output);

        await supporter.GetByLabel("Nom complet", Exact).FillAsync("Camille Martin");
        await supporter.GetByLabel("Adresse e-mail", Exact).FillAsync(email);
        await supporter.GetByLabel("Pays", Exact).SelectOptionAsync("FR");
        await supporter.GetByLabel("Code postal ou ville", Exact).FillAsync("Lyon");
        await supporter.GetByRole(AriaRole.Button, new() { Name = "Signer cette pétition", Exact = true }).ClickAsync();
        await Expect(supporter).ToHaveURLAsync(new Uri(app.BaseUrl, $"/fr/p/{petition.Slug}/check-your-email").ToString());

        // 3. The confirmation email is in French, with the French title, and its link confirms.
        var message = await app.Mailbox.WaitForEmailToAsync(email, EmailTimeout);
        Assert.Equal($"Confirmez votre signature\u00A0: {FrenchTitle}", message.Subject);
        var link = ConfirmLink().Match(message.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/fr/s/confirm/").ToString(), link, StringComparison.Ordinal);
        await supporter.GotoAsync(link);
        await Expect(supporter.GetByRole(AriaRole.Heading, new() { Name = "Merci d’avoir signé", Level = 1 })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            var signature = await db.Signatures.SingleAsync(s => s.PetitionId == petition.Id && s.Email == email);
            Assert.Equal((SignatureState.Confirmed, "fr"), (signature.State, signature.Language));
        }

        // 4. One petition, one count: the English page counts the French signature.
        await supporter.GotoAsync($"/p/{petition.Slug}");
        await Expect(supporter.Locator("#petition-title")).ToHaveTextAsync(Title);
        await WaitForCountAsync(supporter, 3);
        await supporter.GotoAsync($"/fr/p/{petition.Slug}");
        await Expect(supporter.Locator(".sign-panel .count").First).ToHaveTextAsync("3");
    }

    private async Task<string> SeedOrganizerAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Croft Street Swimmers", CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    [GeneratedRegex(@"https?://\S+/s/confirm/\S+")]
    private static partial Regex ConfirmLink();
}
