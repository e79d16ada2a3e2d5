using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

/// <summary>
/// Markdown nested past what Markdig can parse (about 100 levels) is refused on the field that holds it, with the usual
/// error pattern, on every form whose text becomes Markdown: never a 500, and nothing saved.
/// </summary>
public sealed class MarkdownDepthTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string BodyError = "The petition text has lists or quotes nested too deeply. Use fewer levels";
    private const string UpdateError = "The update has lists or quotes nested too deeply. Use fewer levels";
    private const string MessageError = "The message has lists or quotes nested too deeply. Use fewer levels";
    private const string ResponseError = "Your response has lines nested too deeply (such as - - - at the start of a line). Use fewer levels";

    // "- - - … x" is a list in a list in a list; "> > > …" quotes in quotes; "*a _*a _ … x" emphasis in emphasis.
    public static TheoryData<string> TooDeep => new()
    {
        Dashes(150),
        string.Join(" ", Enumerable.Repeat("1.", 120)) + " x",
        new string('>', 200) + " x",
        string.Concat(Enumerable.Repeat("> - ", 60)) + "x",
        string.Join("\n", Enumerable.Range(0, 80).Select(i => new string(' ', i * 2) + "- level " + i)),
        string.Concat(Enumerable.Repeat("*a _", 100)) + "x" + string.Concat(Enumerable.Repeat("_ a*", 100)),
    };

    [Theory]
    [MemberData(nameof(TooDeep))]
    public async Task Start_BodyNestedTooDeeply_ShowsErrorOnTheBodyAndSavesNothing(string body)
    {
        using var browser = await OrganizerAsync();

        var page = await browser.StartAsync(new PetitionFormBuilder().WithBody(body));

        AssertFieldError(page, "Error: Start a petition", "Body", BodyError);
        Assert.Equal(body.ReplaceLineEndings("\n"), page.One("#Body").TextContent.ReplaceLineEndings("\n").TrimStart('\n'));
        Assert.Equal(0, await App.WithDbAsync(db => db.Petitions.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Start_BodyWithTenLevelsOfLists_IsAccepted()
    {
        var body = "Our demands:\n\n" + string.Join("\n", Enumerable.Range(0, 10).Select(i => new string(' ', i * 2) + "- point " + i));
        using var browser = await OrganizerAsync();

        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder().WithBody(body));

        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Slug == slug));
        Assert.Contains("point 9", saved.BodyLeadHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_BodyNestedTooDeeply_ShowsErrorOnTheBodyAndKeepsTheOldText()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().AddressedTo("Jane Smith", "Council leader").CreateOwnedAsync(App.Services, user.Id);
        using var owner = await App.LoggedInVisitorAsync(user);

        var page = await owner.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", new PetitionFormBuilder().WithBody(Dashes(150)).BuildForEdit());

        AssertFieldError(page, "Error: Edit your petition", "Body", BodyError);
        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Id == petition.Id));
        Assert.Equal(petition.Body, saved.Body);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionEdits.CountAsync()));
    }

    [Fact]
    public async Task Update_MessageNestedTooDeeply_ShowsErrorOnTheMessageAndSendsNothing()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;

        var page = await owner.PostUpdateAsync(petition.Slug, "News", Dashes(150));

        AssertFieldError(page, "Error: Post an update", "Form_Message", UpdateError);
        Assert.Equal("News", page.One("#Form_Title").GetAttribute("value"));
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionUpdates.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task Close_MessageNestedTooDeeply_ShowsErrorAndStaysOpen()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;

        var page = await owner.ClosePetitionAsync(petition.Slug, new string('>', 200) + " closed");

        AssertFieldError(page, "Error: Close the petition", "Form_Message", MessageError);
        Assert.Equal(PetitionStatus.Open, await StatusAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task Victory_MessageNestedTooDeeply_ShowsErrorAndStaysOpen()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);

        var page = await owner.DeclareVictoryAsync(petition.Slug, Dashes(150));

        AssertFieldError(page, "Error: ", "Form_Message", MessageError);
        Assert.Equal(PetitionStatus.Open, await StatusAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task RecipientResponse_OfDashesNestedTooDeeply_ShowsErrorAndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow.AddDays(-1), expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        var form = await recipient.GetAsync(delivered.Link + "/respond");

        var page = await recipient.SubmitAsync(form.Form("form[method=post]"), [new("Form.AcceptsDemand", "no"), new("Form.Text", Dashes(150))]);

        AssertFieldError(page, "Error: ", "Form_Text", ResponseError);
        Assert.NotNull(page.One("#Form_AcceptsDemand_no").GetAttribute("checked"));
        Assert.Equal(Dashes(150), page.One("#Form_Text").TextContent.Trim());
        Assert.Equal(0, await App.WithDbAsync(db => db.RecipientResponses.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task RecipientResponse_WithAShortList_IsPublished()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow.AddDays(-1), expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        var form = await recipient.GetAsync(delivered.Link + "/respond");
        const string text = "We will:\n- - light the towpath\n- - mend the gates";

        var result = await recipient.SubmitAsync(form.Form("form[method=post]"), [new("Form.AcceptsDemand", "yes"), new("Form.Text", text)]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(text, (await App.WithDbAsync(db => db.RecipientResponses.SingleAsync())).Text.ReplaceLineEndings("\n"));
    }

    /// <summary>The cover message is plain text (paragraphs, never Markdown), so dashes are just dashes there.</summary>
    [Fact]
    public async Task Deliver_CoverMessageOfDashes_IsDeliveredAsPlainText()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", "Chair").CreateOwnedAsync(App, organizer.User);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);

        var result = await organizer.Browser.DeliverAsync(petition.Slug, Dashes(150), (0, DeliveryTestKit.UniqueEmail("jane")));

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(Dashes(150), Assert.Single(await App.DeliveriesAsync(petition.Id)).CoverMessage);
    }

    private static string Dashes(int levels) => string.Join(" ", Enumerable.Repeat("-", levels)) + " x";

    private static void AssertFieldError(HtmlPage page, string titleStart, string fieldId, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith(titleStart, page.Title, StringComparison.Ordinal);
        var links = page.All(".error-summary a");
        Assert.Equal([$"#{fieldId}"], links.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, links[0].TextContent.Trim());
        Assert.Equal($"Error: {message}", page.Text($"#{fieldId}-error"));
    }

    private async Task<TestBrowser> OrganizerAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        return await App.LoggedInVisitorAsync(user);
    }

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().AddressedTo("Jane Smith", "Council leader").CreateOwnedAsync(App.Services, user.Id);
        return (await App.LoggedInVisitorAsync(user), petition);
    }

    private Task<PetitionStatus> StatusAsync(long petitionId) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.Status).SingleAsync());
}
