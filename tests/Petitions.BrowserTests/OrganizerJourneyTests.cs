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

/// <summary>
/// Issue 3 in Chromium: an organizer creates an account, confirms it by email, starts, previews and publishes a
/// petition; a supporter signs and confirms; the organizer posts an update that is emailed to the supporter, then
/// closes the petition, and a supporter who still had the form open is turned away.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class OrganizerJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private static readonly LocatorGetByLabelOptions ExactInRow = new() { Exact = true };

    private const string Title = "Put a zebra crossing outside Northgate Primary School";
    private const string Body =
        "Every school day, three hundred children cross **Station Road** to reach Northgate Primary. Cars pass at 40 mph " +
        "and there is no crossing between the roundabout and the railway bridge.\n\n" +
        "## What we ask\n\n" +
        "- A zebra crossing at the school gate\n" +
        "- A 20 mph limit on Station Road at school times\n\n" +
        "Sign so that the council hears from every family who walks this way.";

    private static readonly (string Name, string? TitleOrOrganization)[] DecisionMakers =
    [
        ("Cllr Priya Shah", "Cabinet Member for Transport, Northgate Council"),
        ("Dr Alan Brooks", "Head Teacher, Northgate Primary School"),
    ];

    private static readonly string[] DecisionMakerLines = DecisionMakers.Select(d => $"{d.Name}, {d.TitleOrOrganization}").ToArray();
    private static readonly string[] AskedFor = ["A zebra crossing at the school gate", "A 20 mph limit on Station Road at school times"];

    private const string OrganizerName = "Northgate Safe Streets";
    private const string Password = "seven green lanterns at dusk";
    private const string UpdateTitle = "The council will discuss the crossing on 12 May";
    private const string UpdateBody = "Our petition is on the agenda of the transport committee. Come and listen: the meeting is public.";
    private const string ClosingMessage = "The council has agreed to a survey of Station Road, so we are closing the petition. Thank you all.";

    [Fact]
    public async Task Journey_RegisterStartPublish_SupporterSigns_UpdateIsEmailed_ClosingStopsSignatures()
    {
        var organizerEmail = UniqueEmail("organizer");
        var supporterEmail = UniqueEmail("supporter");
        var lateEmail = UniqueEmail("late");
        await using var organizerContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var supporterContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var organizer = await organizerContext.NewPageAsync();
        var supporter = await supporterContext.NewPageAsync();

        // 1. Register through the site, confirm from the email, log in.
        await organizer.GotoAsync("/");
        await MainNavigation(organizer).GetByRole(AriaRole.Link, new() { Name = "Start a petition", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Log in", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Create an account", Exact = true }).ClickAsync();
        await Expect(organizer).ToHaveURLAsync(Url("/account/register"));
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Create an account", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByLabel("Your name, or your organization's name", Exact).FillAsync(OrganizerName);
        await organizer.GetByLabel("Email address", Exact).FillAsync(organizerEmail);
        await organizer.GetByLabel("Password", Exact).FillAsync(Password);
        await organizer.GetByLabel("Confirm password", Exact).FillAsync(Password);
        await ShotAsync(organizer, "organizer-01-register", output);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Create account", Exact = true }).ClickAsync();

        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();
        await Expect(organizer.GetByRole(AriaRole.Main)).ToContainTextAsync("Open it to finish creating your account.");
        await using (var db = app.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == organizerEmail);
            Assert.Equal(OrganizerName, user.DisplayName);
            Assert.False(user.EmailConfirmed);
        }

        var welcome = await app.Mailbox.WaitForEmailToAsync(organizerEmail, "Confirm your email address", EmailTimeout);
        Assert.Contains($"Dear {OrganizerName},", welcome.Text, StringComparison.Ordinal);
        var confirmAccount = AccountConfirmLink().Match(welcome.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/account/confirm?").ToString(), confirmAccount, StringComparison.Ordinal);

        await organizer.GotoAsync(confirmAccount);
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Your email address is confirmed", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(organizer, "organizer-02-email-confirmed", output);
        await using (var db = app.CreateDbContext())
        {
            Assert.True((await db.Users.SingleAsync(u => u.Email == organizerEmail)).EmailConfirmed);
        }

        await organizer.GetByRole(AriaRole.Link, new() { Name = "Log in and start a petition", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Log in", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByLabel("Email address", Exact).FillAsync(organizerEmail);
        await organizer.GetByLabel("Password", Exact).FillAsync(Password);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        // 2. Start the petition: two decision makers, Markdown, a fixed goal.
        await Expect(organizer).ToHaveURLAsync(Url("/start"));
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Start a petition", Level = 1 })).ToBeVisibleAsync();
        await Expect(MainNavigation(organizer).GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();
        await Expect(organizer.GetByLabel("Started by", Exact)).ToHaveValueAsync(OrganizerName);
        await organizer.GetByLabel("Title", Exact).FillAsync(Title);
        await organizer.GetByLabel("What are you asking for, and why?").FillAsync(Body);
        var rows = organizer.Locator(".decision-maker-row");
        await Expect(rows).ToHaveCountAsync(1);
        await rows.Nth(0).GetByLabel("Name", ExactInRow).FillAsync(DecisionMakers[0].Name);
        await rows.Nth(0).GetByLabel("Title or organization (optional)", ExactInRow).FillAsync(DecisionMakers[0].TitleOrOrganization!);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Add another decision maker", Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        // Adding a row keeps what was typed.
        await Expect(organizer.GetByLabel("Title", Exact)).ToHaveValueAsync(Title);
        await Expect(rows.Nth(0).GetByLabel("Name", ExactInRow)).ToHaveValueAsync(DecisionMakers[0].Name);
        await rows.Nth(1).GetByLabel("Name", ExactInRow).FillAsync(DecisionMakers[1].Name);
        await rows.Nth(1).GetByLabel("Title or organization (optional)", ExactInRow).FillAsync(DecisionMakers[1].TitleOrOrganization!);
        await organizer.GetByLabel("Category", Exact).SelectOptionAsync(new SelectOptionValue { Label = "Transport" });
        await organizer.GetByRole(AriaRole.Radio, new() { Name = "A fixed number", Exact = true }).CheckAsync();
        await organizer.GetByLabel("Number of signatures (for a fixed goal)").FillAsync("750");
        await organizer.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await organizer.GetByLabel("Postcode or city", Exact).FillAsync("NG1 4AB");
        await ShotAsync(organizer, "organizer-03-start-filled", output);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Save and preview", Exact = true }).ClickAsync();

        // 3. The preview is the petition page as it will look, with a bar to publish it.
        await Expect(organizer).ToHaveURLAsync(PreviewPath());
        var slug = PreviewPath().Match(organizer.Url).Groups["slug"].Value;
        var preview = organizer.GetByRole(AriaRole.Region, new() { Name = "Preview", Exact = true });
        await Expect(preview).ToContainTextAsync("This is how your petition will look. Nobody else can see it until you publish it.");
        await ExpectPetitionPageAsync(organizer, count: 1);
        await Expect(organizer.Locator(".sign-panel")).ToContainTextAsync("Let's get to 750!");
        await ShotAsync(organizer, "organizer-04-preview", output);
        await using (var db = app.CreateDbContext())
        {
            var draft = await db.Petitions.Include(p => p.DecisionMakers).SingleAsync(p => p.Slug == slug);
            var owner = await db.Users.SingleAsync(u => u.Email == organizerEmail);
            // Browsers send a textarea's line breaks as CRLF.
            Assert.Equal((PetitionStatus.Draft, owner.Id, Title, Body), (draft.Status, draft.OwnerId, draft.Title, draft.Body.ReplaceLineEndings("\n")));
            Assert.Equal((OrganizerName, "Transport", 750, false), (draft.StarterName, draft.Category, draft.Goal, draft.AutomaticGoal));
            Assert.Equal(DecisionMakers, draft.DecisionMakers.OrderBy(d => d.Position).Select(d => (d.Name, d.TitleOrOrganization)).ToList());
            var starter = await db.Signatures.SingleAsync(s => s.PetitionId == draft.Id);
            Assert.Equal((OrganizerName, organizerEmail, "GB", "NG1 4AB", SignatureState.Pending), (starter.FullName, starter.Email, starter.Country, starter.PostcodeOrCity, starter.State));
        }

        // Nobody else can see a draft.
        var hidden = await supporter.GotoAsync($"/p/{slug}");
        Assert.Equal(404, hidden!.Status);

        await preview.GetByRole(AriaRole.Button, new() { Name = "Publish petition", Exact = true }).ClickAsync();
        await Expect(organizer).ToHaveURLAsync(Url($"/p/{slug}"));
        await Expect(organizer.GetByRole(AriaRole.Region, new() { Name = "Preview", Exact = true })).ToHaveCountAsync(0);
        await WaitForCountAsync(organizer, 1);
        await ExpectPetitionPageAsync(organizer, count: 1);
        await Expect(organizer.Locator(".starter-line")).ToContainTextAsync($"{OrganizerName} started this petition with a single signature, and now has 1 supporter.");
        await ShotAsync(organizer, "organizer-05-published", output);
        await using (var db = app.CreateDbContext())
        {
            var published = await db.Petitions.SingleAsync(p => p.Slug == slug);
            Assert.Equal(PetitionStatus.Open, published.Status);
            Assert.NotNull(published.PublishedAt);
            Assert.Equal(SignatureState.Confirmed, (await db.Signatures.SingleAsync(s => s.PetitionId == published.Id)).State);
        }

        // 4. A supporter signs, asks for updates and confirms from the email.
        await supporter.GotoAsync($"/p/{slug}");
        await ExpectPetitionPageAsync(supporter, count: 1);
        await FillSignFormAsync(supporter, "Jo Marsh", supporterEmail, "NG2 3CD", "I walk my son across Station Road every morning.");
        await supporter.GetByLabel("Email me updates about this petition").CheckAsync();
        // Showing the name is never pre-ticked; Jo chooses it, so the name and reason are listed once confirmed.
        await supporter.GetByLabel("Show my name and reason on this petition").CheckAsync();
        await SignButton(supporter).ClickAsync();
        await Expect(supporter.GetByRole(AriaRole.Heading, new() { Name = "Check your email", Level = 1 })).ToBeVisibleAsync();

        var confirmSignature = await app.Mailbox.WaitForEmailToAsync(supporterEmail, $"Confirm your signature: {Title}", EmailTimeout);
        var confirmLink = SignatureConfirmLink().Match(confirmSignature.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/s/confirm/").ToString(), confirmLink, StringComparison.Ordinal);
        await supporter.GotoAsync(confirmLink);
        await Expect(supporter.GetByRole(AriaRole.Heading, new() { Name = "Thank you for signing", Level = 1 })).ToBeVisibleAsync();
        await supporter.GetByRole(AriaRole.Link, new() { Name = "Back to the petition", Exact = true }).ClickAsync();
        await WaitForCountAsync(supporter, 2);
        await Expect(supporter.Locator(".supporters .supporter", new() { HasText = "Jo Marsh" }))
            .ToContainTextAsync("I walk my son across Station Road every morning.");
        await ShotAsync(supporter, "organizer-06-supporter-counted", output);
        await using (var db = app.CreateDbContext())
        {
            var signature = await db.Signatures.SingleAsync(s => s.Email == supporterEmail);
            Assert.Equal((SignatureState.Confirmed, true), (signature.State, signature.EmailUpdates));
        }

        // 5. The organizer posts an update from the dashboard; it shows on the page and is emailed to the supporter.
        await OpenManagePageAsync(organizer);
        await Expect(organizer.Locator(".dashboard-stats [data-stat=confirmed]")).ToHaveTextAsync("2");
        await ManageActions(organizer).GetByRole(AriaRole.Link, new() { Name = "Post an update", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Post an update", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByLabel("Title", Exact).FillAsync(UpdateTitle);
        await organizer.GetByLabel("Update", Exact).FillAsync(UpdateBody);
        await ShotAsync(organizer, "organizer-07-update-form", output);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Post update and email supporters", Exact = true }).ClickAsync();

        await Expect(organizer).ToHaveURLAsync(Url($"/p/{slug}"));
        var update = organizer.GetByRole(AriaRole.Region, new() { Name = "Updates", Exact = true }).Locator("article.update");
        await Expect(update).ToHaveCountAsync(1);
        await Expect(update.GetByRole(AriaRole.Heading, new() { Name = UpdateTitle, Exact = true })).ToBeVisibleAsync();
        await Expect(update).ToContainTextAsync(UpdateBody);
        await ShotAsync(organizer, "organizer-08-update-posted", output);
        await using (var db = app.CreateDbContext())
        {
            var posted = await db.PetitionUpdates.SingleAsync(u => db.Petitions.Any(p => p.Id == u.PetitionId && p.Slug == slug));
            Assert.Equal((UpdateTitle, UpdateBody), (posted.Title, posted.Body));
        }

        var news = await app.Mailbox.WaitForEmailToAsync(supporterEmail, $"Update: {Title}", EmailTimeout);
        Assert.Contains(UpdateTitle, news.Text, StringComparison.Ordinal);
        Assert.Contains(UpdateBody, news.Text, StringComparison.Ordinal);
        Assert.Contains(UpdateTitle, news.Html, StringComparison.Ordinal);
        Assert.Contains("Dear Jo Marsh,", news.Text, StringComparison.Ordinal);
        var unsubscribe = UnsubscribeLink().Match(news.Text).Value;
        Assert.StartsWith(new Uri(app.BaseUrl, "/u/").ToString(), unsubscribe, StringComparison.Ordinal);
        Assert.Contains($"href=\"{unsubscribe}\"", news.Html, StringComparison.Ordinal);
        Assert.Equal($"<{unsubscribe}>", news.Headers.GetValueOrDefault("list-unsubscribe"));

        // 6. Someone opens the petition and starts filling in the form just before the organizer closes it.
        await using var lateContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var late = await lateContext.NewPageAsync();
        await late.GotoAsync($"/p/{slug}");
        await FillSignFormAsync(late, "Sam Late", lateEmail, "NG3 1EF", "Hope I'm in time.");

        await OpenManagePageAsync(organizer);
        await ManageActions(organizer).GetByRole(AriaRole.Link, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Close the petition", Level = 1 })).ToBeVisibleAsync();
        await organizer.GetByLabel("Message to supporters", Exact).FillAsync(ClosingMessage);
        await organizer.GetByRole(AriaRole.Button, new() { Name = "Close petition", Exact = true }).ClickAsync();

        await Expect(organizer).ToHaveURLAsync(Url($"/p/{slug}"));
        await Expect(organizer.Locator(".status-banner.status-closed")).ToHaveTextAsync("Petition Closed");
        await Expect(organizer.Locator("section.closing-message")).ToContainTextAsync(ClosingMessage);
        await Expect(organizer.Locator(".sign-panel .closed-note")).ToHaveTextAsync("This petition is closed and no longer accepts signatures.");
        await Expect(organizer.Locator("form.sign-form")).ToHaveCountAsync(0);
        await Expect(SignButton(organizer)).ToHaveCountAsync(0);
        Assert.Equal(2, await ReadCountAsync(organizer));
        await ShotAsync(organizer, "organizer-09-closed", output);
        await using (var db = app.CreateDbContext())
        {
            var closed = await db.Petitions.SingleAsync(p => p.Slug == slug);
            Assert.Equal((PetitionStatus.Closed, ClosingMessage), (closed.Status, closed.ClosingMessage));
            Assert.NotNull(closed.ClosedAt);
        }

        // The form that was already open is refused, and nothing is stored.
        var refused = await late.RunAndWaitForResponseAsync(
            () => SignButton(late).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith($"/p/{slug}/sign", StringComparison.Ordinal));
        Assert.Equal(409, refused.Status);
        await Expect(late.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This petition is closed, so it no longer accepts signatures.");
        await Expect(late.Locator(".status-banner.status-closed")).ToHaveTextAsync("Petition Closed");
        await Expect(SignButton(late)).ToHaveCountAsync(0);
        await ShotAsync(late, "organizer-10-late-signature-refused", output);
        await using (var db = app.CreateDbContext())
        {
            Assert.False(await db.Signatures.AnyAsync(s => s.Email == lateEmail));
        }

        // 7. The supporter hears that it closed, and can unsubscribe with the link from the update.
        var closedNotice = await app.Mailbox.WaitForEmailToAsync(supporterEmail, $"Petition closed: {Title}", EmailTimeout);
        Assert.Contains(ClosingMessage, closedNotice.Text, StringComparison.Ordinal);

        await supporter.GotoAsync(unsubscribe);
        await Expect(supporter.GetByRole(AriaRole.Heading, new() { Name = "You've been unsubscribed", Level = 1 })).ToBeVisibleAsync();
        await using (var db = app.CreateDbContext())
        {
            Assert.NotNull((await db.Signatures.SingleAsync(s => s.Email == supporterEmail)).UnsubscribedAt);
        }
    }

    /// <summary>What the petition page shows about this petition, whether previewed or published.</summary>
    private static async Task ExpectPetitionPageAsync(IPage page, int count)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Title, Level = 1 })).ToBeVisibleAsync();
        var body = page.Locator(".petition-body");
        await Expect(body.Locator("strong", new() { HasText = "Station Road" })).ToBeVisibleAsync();
        await Expect(body.GetByRole(AriaRole.Heading, new() { Name = "What we ask", Level = 2 })).ToBeVisibleAsync();
        await Expect(body.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(AskedFor);
        // The Markdown is rendered, never shown as typed.
        await Expect(body).Not.ToContainTextAsync("**");
        var to = page.GetByRole(AriaRole.Region, new() { Name = "Decision makers", Exact = true });
        await Expect(to.Locator(".to-label")).ToHaveTextAsync("To:");
        await Expect(to.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(DecisionMakerLines);
        await Expect(page.Locator(".petition-meta .category")).ToHaveTextAsync("Transport");
        await Expect(page.Locator(".starter-line")).ToContainTextAsync(OrganizerName);
        await Expect(page.Locator(".sign-panel .count")).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));
        await Expect(SignButton(page)).ToBeVisibleAsync();
    }

    private static async Task FillSignFormAsync(IPage page, string name, string email, string postcode, string reason)
    {
        await page.GetByLabel("Full name", Exact).FillAsync(name);
        await page.GetByLabel("Email address", Exact).FillAsync(email);
        await page.GetByLabel("Country", Exact).SelectOptionAsync(new SelectOptionValue { Label = "United Kingdom" });
        await page.GetByLabel("Postcode or city", Exact).FillAsync(postcode);
        await OpenSignOptionsAsync(page);
        await page.GetByLabel("Why are you signing?").FillAsync(reason);
    }

    /// <summary>From anywhere on the site: the header's Dashboard link, then the petition in the organizer's list.</summary>
    private static async Task OpenManagePageAsync(IPage page)
    {
        await MainNavigation(page).GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your petitions", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.List, new() { Name = "Your petitions" }).GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Title, Level = 1 })).ToBeVisibleAsync();
    }

    private static ILocator MainNavigation(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main", Exact = true });

    private static ILocator ManageActions(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Manage this petition", Exact = true });

    private string Url(string path) => new Uri(app.BaseUrl, path).ToString();

    [GeneratedRegex(@"/dashboard/p/(?<slug>[a-z0-9-]+)/preview$")]
    private static partial Regex PreviewPath();

    [GeneratedRegex(@"https?://[^\s""<>]+/account/confirm\?[^\s""<>]+")]
    private static partial Regex AccountConfirmLink();

    [GeneratedRegex(@"https?://[^\s""<>]+/s/confirm/[^\s""<>]+")]
    private static partial Regex SignatureConfirmLink();

    [GeneratedRegex(@"https?://[^\s""<>]+/u/[^\s""<>]+")]
    private static partial Regex UnsubscribeLink();
}
