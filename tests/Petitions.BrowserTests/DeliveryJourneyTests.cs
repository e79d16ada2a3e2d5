using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Web.Data;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>
/// Issue 4 in Chromium: an organizer delivers their petition to a decision maker, who opens the link from the email
/// without an account, downloads the signatures as CSV and PDF, and publishes a response that appears on the petition page.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class DeliveryJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] CsvThenPdf = ["csv", "pdf"];

    private const string OrganizerName = "Eastfield Tree Wardens";
    private const string Password = "oak ash and thorn in spring";
    private const string Recipient = "Cllr Sam Reed";
    private const string RecipientTitle = "Eastfield Council";
    private const string CoverMessage =
        "Dear councillor, we would like to meet you before the budget meeting.\n\n" +
        "You can reach us at the Eastfield community centre on Tuesday evenings.";
    private const string ResponseText = "I will propose funding for 200 street trees in next year's budget.";

    [Fact]
    public async Task Journey_DeliverWithPreview_RecipientDownloadsCsvAndPdf_RespondsOnThePetitionPage()
    {
        var organizerEmail = UniqueEmail("wardens");
        var recipientEmail = UniqueEmail("cllr-reed");
        var organizerId = await SeedOrganizerAsync(organizerEmail);
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            // No address for the decision maker yet: the organizer adds it while delivering.
            petition = await PetitionBuilder.Realistic()
                .WithTitle("Plant a tree on every street in Eastfield")
                .OwnedBy(organizerId, OrganizerName)
                .AddressedTo(Recipient, RecipientTitle)
                .WithConfirmedSupporters(4)
                .WithPrivateSupporters(1)
                .WithPendingSupporters(2)
                .SaveAsync(db);
        }

        List<string> confirmedNames;
        await using (var db = app.CreateDbContext())
        {
            confirmedNames = await db.Signatures.Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)
                .Select(s => s.FullName).ToListAsync();
        }

        Assert.Equal(5, confirmedNames.Count);
        var slug = petition.Slug;
        var subject = $"Petition: {petition.Title} (5 signatures)";

        // 1. The organizer logs in and finds the petition on the dashboard.
        await using var organizerContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var organizer = await organizerContext.NewPageAsync();
        await organizer.GotoAsync("/");
        await organizer.GetByRole(AriaRole.Navigation, new() { Name = "Main", Exact = true }).GetByRole(AriaRole.Link, new() { Name = "Log in", Exact = true }).ClickAsync();
        await organizer.GetByLabel("Email address", Exact).FillAsync(organizerEmail);
        await organizer.GetByLabel("Password", Exact).FillAsync(Password);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        await Expect(organizer).ToHaveURLAsync(Url("/dashboard"));
        var item = organizer.Locator(".dashboard-item", new() { HasText = petition.Title });
        await Expect(item.Locator(".dashboard-count")).ToHaveTextAsync("5");
        await item.GetByRole(AriaRole.Link, new() { Name = petition.Title, Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByRole(AriaRole.Navigation, new() { Name = "Manage this petition", Exact = true })
            .GetByRole(AriaRole.Link, new() { Name = "Deliver", Exact = true }).ClickAsync();

        // 2. Pick the decision maker, add their address, write the cover message.
        await Expect(organizer).ToHaveURLAsync(Url($"/dashboard/p/{slug}/deliver"));
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Deliver the petition", Level = 1 })).ToBeVisibleAsync();
        await Expect(organizer.GetByRole(AriaRole.Main)).ToContainTextAsync("download the 5 signatures");
        var pick = organizer.GetByRole(AriaRole.Checkbox, new() { Name = Recipient });
        // Without an address they are not picked for you.
        await Expect(pick).Not.ToBeCheckedAsync();
        await Expect(pick).ToHaveAccessibleNameAsync(new Regex($"^{Regex.Escape(Recipient)}\\s*, {Regex.Escape(RecipientTitle)}$"));
        await pick.CheckAsync();
        await organizer.GetByLabel($"Email address for {Recipient}", Exact).FillAsync(recipientEmail);
        await organizer.GetByLabel("Your message to the decision makers", Exact).FillAsync(CoverMessage);
        await ShotAsync(organizer, "delivery-01-deliver-form", output);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Preview the email", Exact = true }).ClickAsync();

        // 3. The preview shows who gets it and the email itself; nothing is sent yet.
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Check the email before delivering", Level = 1 })).ToBeVisibleAsync();
        await Expect(organizer.Locator("ul.recipients > li")).ToHaveTextAsync(new[] { $"{Recipient}, {RecipientTitle} · {recipientEmail}" });
        await Expect(organizer.Locator("dt:has-text('Subject') + dd")).ToHaveTextAsync(subject);
        var emailPreview = organizer.GetByRole(AriaRole.Region, new() { Name = "Email preview", Exact = true });
        await Expect(emailPreview).ToContainTextAsync($"Dear {Recipient},");
        await Expect(emailPreview).ToContainTextAsync("we would like to meet you before the budget meeting.");
        await Expect(emailPreview.GetByRole(AriaRole.Heading, new() { Name = petition.Title })).ToBeVisibleAsync();
        await ShotAsync(organizer, "delivery-02-preview", output);
        await using (var db = app.CreateDbContext())
        {
            Assert.False(await db.Deliveries.AnyAsync(d => d.PetitionId == petition.Id));
        }

        await organizer.GetByRole(AriaRole.Button, new() { Name = "Deliver to 1 recipient", Exact = true }).ClickAsync();

        await Expect(organizer).ToHaveURLAsync(DeliveredPath());
        var delivered = organizer.GetByRole(AriaRole.Status);
        await Expect(delivered.GetByRole(AriaRole.Heading, new() { Name = "Petition delivered" })).ToBeVisibleAsync();
        await Expect(delivered).ToContainTextAsync("5 signatures are on their way to 1 recipient.");
        var recipientRow = organizer.Locator(".recipient", new() { HasText = Recipient });
        await Expect(recipientRow.GetByRole(AriaRole.Heading, new() { Name = $"{Recipient}, {RecipientTitle}", Exact = true })).ToBeVisibleAsync();
        await Expect(recipientRow.Locator(".first-download")).ToHaveTextAsync("Not yet");
        await Expect(recipientRow.Locator(".response")).ToHaveTextAsync("None yet");
        await ShotAsync(organizer, "delivery-03-delivered", output);
        await using (var db = app.CreateDbContext())
        {
            var delivery = await db.Deliveries.Include(d => d.Recipients).SingleAsync(d => d.PetitionId == petition.Id);
            Assert.Equal(5, delivery.SignatureCount);
            Assert.Equal(CoverMessage, delivery.CoverMessage.ReplaceLineEndings("\n"));
            var recipient = Assert.Single(delivery.Recipients);
            Assert.Equal((Recipient, RecipientTitle, recipientEmail), (recipient.Name, recipient.TitleOrOrganization, recipient.Email));
            // The address typed at delivery is kept for next time.
            Assert.Equal(recipientEmail, (await db.DecisionMakers.SingleAsync(d => d.PetitionId == petition.Id)).Email);
        }

        // 4. The decision maker's email, with the CSV attached and their personal link.
        var sent = await app.Mailbox.WaitForEmailToAsync(recipientEmail, subject, EmailTimeout);
        Assert.Contains($"Dear {Recipient},", sent.Text, StringComparison.Ordinal);
        Assert.Contains("You can reach us at the Eastfield community centre on Tuesday evenings.", sent.Text, StringComparison.Ordinal);
        Assert.Equal(new[] { $"{slug}-signatures.csv" }, sent.AttachmentNames);
        var link = RecipientLink().Match(sent.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/d/").ToString(), link, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", sent.Html, StringComparison.Ordinal);
        var receipt = await app.Mailbox.WaitForEmailToAsync(organizerEmail, $"Delivered: {petition.Title}", EmailTimeout);
        Assert.Contains($"- {Recipient}, {RecipientTitle}", receipt.Text, StringComparison.Ordinal);

        // 5. The recipient has no account: a fresh browser, straight from the link.
        await using var recipientContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var recipientPage = await recipientContext.NewPageAsync();
        await recipientPage.GotoAsync(link);
        await Expect(recipientPage.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();
        await Expect(recipientPage.GetByText($"For \u2068{Recipient}, {RecipientTitle}\u2069", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(recipientPage.Locator("p.lead")).ToContainTextAsync($"\u2068{OrganizerName}\u2069 delivered this petition to you on");
        await Expect(recipientPage.Locator("p.lead")).ToContainTextAsync("with 5 signatures confirmed by email.");
        await ShotAsync(recipientPage, "delivery-04-recipient-page", output);

        var csvDownload = await recipientPage.RunAndWaitForDownloadAsync(
            () => recipientPage.GetByRole(AriaRole.Link, new() { Name = "Download spreadsheet (CSV)", Exact = true }).ClickAsync());
        Assert.Equal($"{slug}-signatures.csv", csvDownload.SuggestedFilename);
        Assert.Null(await csvDownload.FailureAsync());
        var csv = await File.ReadAllBytesAsync((await csvDownload.PathAsync())!);
        var lines = Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Name,Postcode or city,Country,Signed at,Reason", lines[0]);
        var rows = lines[1..].Select(line => line.Split(',')).ToList();
        // One row per confirmed signature, private ones included, unconfirmed ones left out; never an email address.
        Assert.Equal(confirmedNames.Order(StringComparer.Ordinal), rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(("Eastfield", "United Kingdom"), (r[1], r[2])));
        Assert.DoesNotContain(lines, line => line.Contains("Unconfirmed", StringComparison.Ordinal));
        Assert.DoesNotContain("@", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);

        var pdfDownload = await recipientPage.RunAndWaitForDownloadAsync(
            () => recipientPage.GetByRole(AriaRole.Link, new() { Name = "Download printable list (PDF)", Exact = true }).ClickAsync());
        Assert.Equal($"{slug}-signatures.pdf", pdfDownload.SuggestedFilename);
        Assert.Null(await pdfDownload.FailureAsync());
        var pdf = await File.ReadAllBytesAsync((await pdfDownload.PathAsync())!);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        using (var document = PdfDocument.Open(pdf))
        {
            var text = string.Join(' ', document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains(petition.Title, text, StringComparison.Ordinal);
            Assert.Contains("5 confirmed signatures", text, StringComparison.Ordinal);
            Assert.All(confirmedNames, name => Assert.Contains(name, text, StringComparison.Ordinal));
            Assert.DoesNotContain("Unconfirmed Supporter", text, StringComparison.Ordinal);
        }

        await using (var db = app.CreateDbContext())
        {
            var recipient = await db.DeliveryRecipients.SingleAsync(r => r.Email == recipientEmail);
            Assert.NotNull(recipient.FirstDownloadedAt);
            Assert.Equal(CsvThenPdf, await db.DownloadLogs.Where(l => l.DeliveryRecipientId == recipient.Id).OrderBy(l => l.Id).Select(l => l.Format).ToListAsync());
        }

        // 6. The recipient responds through the same link.
        await recipientPage.GetByRole(AriaRole.Link, new() { Name = "Write a response", Exact = true }).ClickAsync();
        await Expect(recipientPage.GetByRole(AriaRole.Heading, new() { Name = "Respond to the petition", Level = 1 })).ToBeVisibleAsync();
        await recipientPage.GetByRole(AriaRole.Radio, new() { Name = "Yes, I accept it", Exact = true }).CheckAsync();
        await recipientPage.GetByLabel("Your response", Exact).FillAsync(ResponseText);
        await ShotAsync(recipientPage, "delivery-05-respond", output);
        await recipientPage.GetByRole(AriaRole.Button, new() { Name = "Publish response", Exact = true }).ClickAsync();

        var published = recipientPage.GetByRole(AriaRole.Status);
        await Expect(published.GetByRole(AriaRole.Heading, new() { Name = "Your response is published" })).ToBeVisibleAsync();
        await Expect(recipientPage.GetByRole(AriaRole.Main)).ToContainTextAsync("You accept the petition's demand.");
        await using (var db = app.CreateDbContext())
        {
            var response = await db.RecipientResponses.SingleAsync(r => r.PetitionId == petition.Id);
            Assert.Equal((ResponseText, true), (response.Text, response.AcceptsDemand));
        }

        // 7. The petition page says where it went and what came back.
        await published.GetByRole(AriaRole.Link, new() { Name = "See it on the petition page", Exact = true }).ClickAsync();
        await Expect(recipientPage).ToHaveURLAsync(Url($"/p/{slug}"));
        var deliveredTo = recipientPage.GetByRole(AriaRole.Region, new() { Name = "This petition was delivered to:", Exact = true });
        var responses = recipientPage.GetByRole(AriaRole.Region, new() { Name = "Responses", Exact = true });
        // Public pages are cached for a second, and delivering does not refresh them: reload until the response shows.
        await ReloadUntilVisibleAsync(recipientPage, responses);
        await Expect(deliveredTo.Locator(".recipient-name")).ToHaveTextAsync(Recipient);
        await Expect(deliveredTo).ToContainTextAsync($"{Recipient}, {RecipientTitle}");
        await Expect(responses.Locator("article.response")).ToHaveCountAsync(1);
        await Expect(responses.GetByRole(AriaRole.Heading, new() { Name = $"{Recipient}, {RecipientTitle}", Exact = true })).ToBeVisibleAsync();
        await Expect(responses.Locator(".response-text")).ToHaveTextAsync(ResponseText);
        await Expect(responses.Locator(".status-tag")).ToHaveTextAsync("Accepts the demand");
        await Expect(recipientPage.Locator(".status-banner.status-delivered")).ToContainTextAsync("Delivered on");
        await ShotAsync(recipientPage, "delivery-06-petition-page", output);

        // 8. The organizer is told, and sees the download and the response on the deliveries page.
        var told = await app.Mailbox.WaitForEmailToAsync(organizerEmail, $"{Recipient} responded: {petition.Title}", EmailTimeout);
        Assert.Contains(ResponseText, told.Text, StringComparison.Ordinal);
        await organizer.ReloadAsync();
        await Expect(recipientRow.Locator(".first-download")).ToContainTextAsync("(2 downloads in all)");
        await Expect(recipientRow.Locator(".response")).ToContainTextAsync("Accepts the petition's demand");
        await Expect(recipientRow.Locator(".response")).ToContainTextAsync(ResponseText);
        await ShotAsync(organizer, "delivery-07-deliveries-with-response", output);
    }

    /// <summary>A confirmed organizer account, made through Identity's own UserManager as registration would leave it.</summary>
    private async Task<string> SeedOrganizerAsync(string email)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = OrganizerName,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    private static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator)
    {
        var clock = Stopwatch.StartNew();
        while (await locator.CountAsync() == 0 && clock.Elapsed < PageTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            await page.ReloadAsync();
        }

        await Expect(locator).ToBeVisibleAsync();
    }

    private string Url(string path) => new Uri(app.BaseUrl, path).ToString();

    [GeneratedRegex(@"/dashboard/p/[a-z0-9-]+/deliveries\?delivered=\d+$")]
    private static partial Regex DeliveredPath();

    [GeneratedRegex(@"https?://[^\s""<>]+/d/[A-Za-z0-9_-]+")]
    private static partial Regex RecipientLink();
}
