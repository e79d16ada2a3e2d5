using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

/// <summary>
/// Updates show on the petition page newest first and reach, by real SMTP, exactly the confirmed supporters who asked
/// for them, each with a one-click unsubscribe that works without logging in.
/// </summary>
public sealed class UpdateTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_Update_IsShownOnThePageNewestFirst()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;

        var first = await owner.PostUpdateAsync(petition.Slug, "We met the council", "They listened. **Next step**: the vote.");
        var second = await owner.PostUpdateAsync(petition.Slug, "The vote is on Monday", "Come to the town hall at 6pm.");

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Equal($"/p/{petition.Slug}", first.PathAndQuery());
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(["The vote is on Monday", "We met the council"], page.All(".updates article.update h3").Select(h => h.TextContent.Trim()));
        Assert.Equal("Next step", page.Text(".updates article.update:last-child strong"));
        var updates = await App.WithDbAsync(db => db.PetitionUpdates.AsNoTracking().OrderBy(u => u.Id).ToListAsync());
        Assert.Equal(["We met the council", "The vote is on Monday"], updates.Select(u => u.Title));
        Assert.Equal("They listened. **Next step**: the vote.", updates[0].Body);
    }

    [Theory]
    [InlineData("", "Some news", "Form_Title", "Enter a title for the update")]
    [InlineData("News", " ", "Form_Message", "Enter the update")]
    public async Task Post_InvalidUpdate_ShowsErrorKeepsInputAndSendsNothing(string title, string message, string field, string error)
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;

        var page = await owner.PostUpdateAsync(petition.Slug, title, message);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Post an update", page.Title, StringComparison.Ordinal);
        Assert.Equal([$"#{field}"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal($"Error: {error}", page.Text($"#{field}-error"));
        Assert.Equal(title, page.One("#Form_Title").GetAttribute("value"));
        Assert.Equal(message.Trim(), page.One("#Form_Message").TextContent);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionUpdates.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task Post_UpdateWithDangerousMarkdown_IsSanitizedOnThePageAndInTheEmail()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        var email = UniqueEmail("reader");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, email);

        await owner.PostUpdateAsync(petition.Slug, "News <script>alert(1)</script>",
            "<script>alert('x')</script><iframe src=\"https://evil.example\"></iframe><img src=x onerror=alert(1)>\n\n[link](javascript:alert(1)) **safe**");

        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{petition.Slug}");
        SafeHtml.AssertSafe(page);
        Assert.Equal("safe", page.Text(".updates strong"));
        Assert.Equal("News <script>alert(1)</script>", page.Text(".updates h3"));

        var message = await MailDev.WaitForEmailAsync(email);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(message.Html!);
        Assert.Empty(html.QuerySelectorAll("script, iframe, img[onerror]"));
        Assert.DoesNotContain(html.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.Contains("javascript:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Post_Update_EmailsExactlyTheConfirmedOptedInSupportersWithUnsubscribeHeaders()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        var optedIn = UniqueEmail("opted-in");
        var alsoOptedIn = UniqueEmail("also-opted-in");
        var notOptedIn = UniqueEmail("not-opted-in");
        var pending = UniqueEmail("pending");
        var unsubscribed = UniqueEmail("unsubscribed");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, optedIn, "Ada Lovelace");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, alsoOptedIn);
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.NotOptedIn, notOptedIn);
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.Pending, pending);
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.Unsubscribed, unsubscribed);
        // A supporter of another petition hears nothing about this one.
        var elsewhere = UniqueEmail("elsewhere");
        var other = await new PetitionBuilder().CreateAsync(App.Services);
        await Supporters.AddAsync(App.Services, other.Id, SupporterKind.OptedIn, elsewhere);

        await owner.PostUpdateAsync(petition.Slug, "We met the council", "They listened. **Next step**: the vote.");

        var job = Assert.Single(await App.WaitForNotificationJobsAsync(1));
        Assert.Equal("petition-update", job.Kind);
        Assert.Equal(2, job.Sent);
        await App.WaitForOutboxDrainedAsync();
        var rows = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        Assert.Equal([alsoOptedIn, optedIn], rows.Select(r => r.ToAddress).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("petition-update", r.Kind));
        Assert.All(rows, r => Assert.NotNull(r.SentAt));

        var message = await MailDev.WaitForEmailAsync(optedIn);
        Assert.Equal("Update: Fix the potholes on Elm Street", message.Subject);
        Assert.Contains("Dear Ada Lovelace", message.Text, StringComparison.Ordinal);
        Assert.Contains("We met the council", message.Text, StringComparison.Ordinal);
        Assert.Contains("They listened.", message.Text, StringComparison.Ordinal);
        Assert.Equal("Next step", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(message.Html!).QuerySelector("strong")?.TextContent);
        var unsubscribeLink = message.SingleLink("/u/");
        Assert.Equal($"<{unsubscribeLink}>", message.Headers["list-unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["list-unsubscribe-post"]);
        Assert.Contains($"{PetitionsAppFactory.BaseUrl}/p/{petition.Slug}", message.Links());
        await MailDev.WaitForEmailAsync(alsoOptedIn);

        foreach (var address in new[] { notOptedIn, pending, unsubscribed, elsewhere })
        {
            Assert.Empty(await MailDev.ListToAsync(address));
        }
    }

    [Fact]
    public async Task UnsubscribeLink_WithoutLogin_StopsTheNextUpdateAndOffersUndo()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        var leaver = UniqueEmail("leaver");
        var stayer = UniqueEmail("stayer");
        var leaverSignature = await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, leaver);
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, stayer);
        await owner.PostUpdateAsync(petition.Slug, "First update", "The first news.");
        var link = (await MailDev.WaitForEmailAsync(leaver)).SingleLink("/u/");

        using var mailReader = App.CreateVisitor();
        var page = await mailReader.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("You've been unsubscribed", page.Text("h1"));
        Assert.Contains("Fix the potholes on Elm Street", page.Text("main"), StringComparison.Ordinal);
        Assert.NotNull(await UnsubscribedAtAsync(leaverSignature.Id));
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == leaverSignature.Id).Select(s => s.State).SingleAsync()));

        await owner.PostUpdateAsync(petition.Slug, "Second update", "The second news.");
        await App.WaitForNotificationJobsAsync(2);
        await MailDev.WaitForEmailAsync(stayer, m => m.Text?.Contains("The second news.", StringComparison.Ordinal) == true);
        await App.WaitForOutboxDrainedAsync();
        var toLeaver = Assert.Single(await MailDev.ListToAsync(leaver));
        Assert.Contains("The first news.", toLeaver.Text, StringComparison.Ordinal);
        Assert.Equal(1, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.ToAddress == leaver)));

        // Undo, from the same page.
        var undo = await mailReader.SubmitAsync(page.Form("form[action$='/resubscribe']"), []);
        Assert.Equal(HttpStatusCode.OK, undo.Status);
        Assert.Equal("You're subscribed again", undo.Text("h1"));
        Assert.Null(await UnsubscribedAtAsync(leaverSignature.Id));
        await owner.PostUpdateAsync(petition.Slug, "Third update", "The third news.");
        await MailDev.WaitForEmailAsync(leaver, m => m.Text?.Contains("The third news.", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task OneClickPost_FromAMailClient_UnsubscribesWithoutLoginOrForm()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        var email = UniqueEmail("one-click");
        var signature = await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, email);
        await owner.PostUpdateAsync(petition.Slug, "First update", "The first news.");
        var message = await MailDev.WaitForEmailAsync(email);
        var target = message.Headers["list-unsubscribe"].Trim('<', '>');

        // What a mail client does for RFC 8058: a POST with this exact body, no cookies, no token.
        using var client = App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var body = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri(target), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await UnsubscribedAtAsync(signature.Id));

        // Done twice (mail clients retry), it still succeeds.
        using var again = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var second = await client.PostAsync(new Uri(target), again);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        await owner.PostUpdateAsync(petition.Slug, "Second update", "The second news.");
        await App.WaitForNotificationJobsAsync(2);
        Assert.Equal(1, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.ToAddress == email)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%25%25%25")]
    public async Task UnsubscribeLink_Garbled_ShowsAClearPageAndChangesNothing(string token)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var signature = await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, UniqueEmail());
        using var browser = App.CreateVisitor();

        var page = await browser.GetAsync($"/u/{token}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
        using var client = App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var body = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var oneClick = await client.PostAsync(new Uri($"/u/{token}", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.NotFound, oneClick.StatusCode);
        Assert.Null(await UnsubscribedAtAsync(signature.Id));
    }

    [Fact]
    public async Task Get_NewUpdateForADraft_GoesBackToTheDashboard()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var draft = await new PetitionBuilder().Draft().CreateOwnedAsync(App.Services, user.Id);
        using var owner = await App.LoggedInVisitorAsync(user);

        var page = await owner.GetAsync($"/dashboard/p/{draft.Slug}/updates/new");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"/dashboard/p/{draft.Slug}", page.PathAndQuery());
    }

    private Task<DateTimeOffset?> UnsubscribedAtAsync(long signatureId) =>
        App.WithDbAsync(db => db.Signatures.Where(s => s.Id == signatureId).Select(s => s.UnsubscribedAt).SingleAsync());

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().AddressedTo("Jane Smith", "Council leader").CreateOwnedAsync(App.Services, user.Id);
        return (await App.LoggedInVisitorAsync(user), petition);
    }
}
