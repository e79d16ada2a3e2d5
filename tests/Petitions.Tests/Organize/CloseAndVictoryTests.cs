using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Organize;

namespace Petitions.Tests.Organize;

/// <summary>Closing by hand or at the closing date, and declaring victory: the page, the refusal to sign, and the notices.</summary>
public sealed class CloseAndVictoryTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_Close_ShowsPetitionClosedRefusesSignaturesAndNotifiesOptedInSupporters()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        var optedIn = UniqueEmail("opted-in");
        var notOptedIn = UniqueEmail("not-opted-in");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, optedIn, "Ada Lovelace");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.NotOptedIn, notOptedIn);
        using var supporter = App.CreateVisitor();
        var openPage = await supporter.GetAsync($"/p/{petition.Slug}");
        var signForm = openPage.Form("form#sign");
        Assert.Equal(2, await supporter.WaitForShownCountAsync(petition.Slug, 2));

        var result = await owner.ClosePetitionAsync(petition.Slug, "The council agreed to a review, so we are closing.");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/p/{petition.Slug}", result.PathAndQuery());
        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Id == petition.Id));
        Assert.Equal(PetitionStatus.Closed, saved.Status);
        Assert.NotNull(saved.ClosedAt);
        Assert.Equal("The council agreed to a review, so we are closing.", saved.ClosingMessage);

        var page = await supporter.WaitForPageAsync(petition.Slug, p => p.Find(".status-banner.status-closed") is not null, "shows it closed");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Petition Closed", page.Text(".status-banner.status-closed"));
        Assert.Contains("The council agreed to a review, so we are closing.", page.Text(".closing-message"), StringComparison.Ordinal);
        Assert.Null(page.Find("form#sign"));
        Assert.Empty(page.All("a[href='#sign']"));
        Assert.Equal("This petition is closed and no longer accepts signatures.", page.Text(".closed-note"));
        Assert.Equal("2", page.One("[role=progressbar]").GetAttribute("aria-valuenow"));

        // A form opened before the petition closed is refused when sent after.
        var refused = await supporter.SubmitAsync(signForm, new SignFormBuilder().Build());
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("This petition is closed", refused.Text(".alert-warning"), StringComparison.Ordinal);
        Assert.Equal(2, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id)));

        var notice = await MailDev.WaitForEmailAsync(optedIn);
        Assert.Equal("Petition closed: Fix the potholes on Elm Street", notice.Subject);
        Assert.Contains("Dear Ada Lovelace", notice.Text, StringComparison.Ordinal);
        Assert.Contains("The council agreed to a review, so we are closing.", notice.Text, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", notice.Headers["list-unsubscribe-post"]);
        var job = Assert.Single(await App.WaitForNotificationJobsAsync(1));
        Assert.Equal("petition-closed", job.Kind);
        await App.WaitForOutboxDrainedAsync();
        Assert.Equal([optedIn], await App.WithDbAsync(db => db.OutboxMessages.Select(m => m.ToAddress).ToListAsync()));
        Assert.Empty(await MailDev.ListToAsync(notOptedIn));
    }

    [Fact]
    public async Task Post_CloseWithoutMessage_ShowsErrorAndStaysOpen()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;

        var page = await owner.ClosePetitionAsync(petition.Slug, "  ");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Close the petition", page.Title, StringComparison.Ordinal);
        Assert.Equal(["#Form_Message"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal("Error: Enter a message for your supporters", page.Text("#Form_Message-error"));
        Assert.Equal(PetitionStatus.Open, await StatusAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));
    }

    [Fact]
    public async Task Get_CloseAnAlreadyClosedPetition_GoesBackToTheDashboard()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().Closed().CreateOwnedAsync(App.Services, user.Id);
        using var owner = await App.LoggedInVisitorAsync(user);

        var page = await owner.GetAsync($"/dashboard/p/{petition.Slug}/close");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"/dashboard/p/{petition.Slug}", page.PathAndQuery());
    }

    [Fact]
    public async Task CloseDue_PetitionPastItsClosingDate_IsClosedWithANotice()
    {
        var closesAt = DateTimeOffset.UtcNow.AddHours(-1);
        var due = await new PetitionBuilder().WithTitle("Light the towpath").CreateOwnedAsync(App.Services, null, p => p.ClosesAt = closesAt);
        var notYet = await new PetitionBuilder().CreateOwnedAsync(App.Services, null, p => p.ClosesAt = DateTimeOffset.UtcNow.AddDays(1));
        var draft = await new PetitionBuilder().Draft().CreateOwnedAsync(App.Services, null, p => p.ClosesAt = closesAt);
        var email = UniqueEmail("towpath");
        await Supporters.AddAsync(App.Services, due.Id, SupporterKind.OptedIn, email);

        // The hosted closer runs too, every 30 seconds; whichever gets there first, the outcome is the same.
        await App.Services.GetRequiredService<ClosingWorker>().CloseDueAsync(CancellationToken.None);

        var closed = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Id == due.Id));
        Assert.Equal(PetitionStatus.Closed, closed.Status);
        Assert.Equal(closesAt.ToUnixTimeMilliseconds(), closed.ClosedAt!.Value.ToUnixTimeMilliseconds());
        Assert.False(string.IsNullOrWhiteSpace(closed.ClosingMessage));
        Assert.Equal(PetitionStatus.Open, await StatusAsync(notYet.Id));
        Assert.Equal(PetitionStatus.Draft, await StatusAsync(draft.Id));

        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{due.Slug}");
        Assert.Equal("Petition Closed", page.Text(".status-banner.status-closed"));
        Assert.Null(page.Find("form#sign"));

        var notice = await MailDev.WaitForEmailAsync(email);
        Assert.Equal("Petition closed: Light the towpath", notice.Subject);
        Assert.Contains("reached its closing date", notice.Text, StringComparison.Ordinal);

        // Running again closes nothing twice and sends no second notice.
        Assert.Equal(0, await App.Services.GetRequiredService<ClosingWorker>().CloseDueAsync(CancellationToken.None));
        var job = Assert.Single(await App.WaitForNotificationJobsAsync(1));
        Assert.Equal(due.Id, job.PetitionId);
    }

    [Fact]
    public async Task Post_VictoryWithFewerThan5ConfirmedSignatures_IsRefusedWithAMessage()
    {
        var (owner, petition) = await OwnerWithPetitionAsync(confirmed: 4);
        using var _ = owner;
        // Pending signatures do not count toward the 5.
        await SignatureBuilder.CreateManyAsync(App.Services, Enumerable.Range(0, 3).Select(_ => new SignatureBuilder(petition.Id).Pending()));

        var page = await owner.DeclareVictoryAsync(petition.Slug, "We won!");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Declare victory", page.Title, StringComparison.Ordinal);
        var message = "You can declare victory once the petition has at least 5 confirmed signatures. It has 4";
        Assert.Equal([message], page.All(".error-summary a").Select(a => a.TextContent.Trim()));
        Assert.Equal($"Error: {message}", page.Text("#Form_Message-error"));
        Assert.Equal("We won!", page.One("#Form_Message").TextContent);
        Assert.Equal(PetitionStatus.Open, await StatusAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.NotificationJobs.CountAsync()));

        using var visitor = App.CreateVisitor();
        var shown = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Null(shown.Find(".status-victory"));
        Assert.NotNull(shown.Find("form#sign"));
    }

    [Fact]
    public async Task Post_VictoryWith5ConfirmedSignatures_ShowsTheVictoryBanner()
    {
        var (owner, petition) = await OwnerWithPetitionAsync(confirmed: 5);
        using var _ = owner;
        var email = UniqueEmail("winner");
        await Supporters.AddAsync(App.Services, petition.Id, SupporterKind.OptedIn, email);

        var result = await owner.DeclareVictoryAsync(petition.Slug, "The council fixed every pothole.");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/p/{petition.Slug}", result.PathAndQuery());
        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Id == petition.Id));
        Assert.Equal(PetitionStatus.Victory, saved.Status);
        Assert.NotNull(saved.VictoryAt);
        Assert.Equal("The council fixed every pothole.", saved.VictoryMessage);

        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Equal("Victory! This petition won", page.Text(".status-banner.status-victory"));
        Assert.Contains("The council fixed every pothole.", page.Text(".closing-message"), StringComparison.Ordinal);
        Assert.Null(page.Find("form#sign"));

        var notice = await MailDev.WaitForEmailAsync(email);
        Assert.Equal("Victory: Fix the potholes on Elm Street", notice.Subject);
        Assert.Contains("The council fixed every pothole.", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_VictoryOnAClosedPetition_IsAllowed()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().Closed().CreateOwnedAsync(App.Services, user.Id);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);
        using var owner = await App.LoggedInVisitorAsync(user);

        var result = await owner.DeclareVictoryAsync(petition.Slug, "It worked after all.");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(PetitionStatus.Victory, await StatusAsync(petition.Id));
    }

    private Task<PetitionStatus> StatusAsync(long petitionId) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.Status).SingleAsync());

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync(int confirmed = 0)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, user.Id);
        if (confirmed > 0)
        {
            await Supporters.AddConfirmedAsync(App.Services, petition.Id, confirmed);
        }

        return (await App.LoggedInVisitorAsync(user), petition);
    }
}
