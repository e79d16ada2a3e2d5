using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Polish;

/// <summary>Issue 15: feedback after an organizer's actions, the start form, declaring victory, and the text lock.</summary>
public sealed class OrganizerPolishTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Publish_ShowsASuccessNoticeOnce_OnThePageTheOrganizerLandsOn()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var owner = await App.LoggedInVisitorAsync(user);
        var slug = await owner.StartPetitionAsync(new PetitionFormBuilder());

        var published = await owner.PublishAsync(slug);

        Assert.Equal(HttpStatusCode.Redirect, published.Status);
        var landed = await owner.GetAsync(published.Location!.OriginalString);
        Assert.Equal("Your petition is published. Share it to gather signatures.", landed.Text(".notice-success"));
        Assert.Equal("status", landed.One(".notice-success").GetAttribute("role"));
        var again = await owner.GetAsync(published.Location!.OriginalString);
        Assert.Null(again.Find(".notice-success"));
    }

    [Theory]
    [InlineData("update", "Your update is posted. Supporters who asked for updates will get it by email.")]
    [InlineData("close", "Your petition is closed. It no longer accepts signatures.")]
    [InlineData("victory", "Congratulations! Your petition is marked as a victory.")]
    [InlineData("edit", "Your changes are saved.")]
    public async Task OrganizerAction_ShowsItsSuccessNoticeOnce(string action, string notice)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().AddressedTo("The Mayor", "City Hall").CreateOwnedAsync(App.Services, user.Id);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);
        using var owner = await App.LoggedInVisitorAsync(user);

        var result = action switch
        {
            "update" => await owner.PostUpdateAsync(petition.Slug, "Meeting on Monday", "We meet the council on Monday."),
            "close" => await owner.ClosePetitionAsync(petition.Slug, "We are closing to deliver it."),
            "victory" => await owner.DeclareVictoryAsync(petition.Slug, "The council said yes."),
            _ => await owner.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", [new("Title", "Fix the potholes on Elm Street now")]),
        };

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var landed = await owner.GetAsync(result.Location!.OriginalString);
        Assert.Equal(notice, landed.Text(".notice-success"));
        Assert.Null((await owner.GetAsync(result.Location!.OriginalString)).Find(".notice-success"));
    }

    [Fact]
    public async Task Notice_IsNeverShownToOrSetForAnonymousVisitors()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var visitor = App.CreateBrowser();

        using var response = await visitor.Client.GetAsync(new Uri($"/p/{petition.Slug}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.Contains("TempData", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task StartForm_EnterSubmitsWithThePrimaryButton_AndTheGoalNumberSitsInItsFoldingWrapper()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var owner = await App.LoggedInVisitorAsync(user);

        var page = await owner.GetAsync("/start");

        // Enter in a field submits with the form's first submit button (HTML's implicit submission).
        var first = page.One(OrganizeSteps.StartForm).QuerySelector("button[type=submit]")!;
        Assert.Equal("Save and preview", first.TextContent.Trim());
        Assert.False(first.HasAttribute("name"));
        Assert.NotNull(page.Find(".goal-fields .goal-number #Goal"));
        Assert.NotNull(page.Find(".goal-fields #GoalMode_automatic"));

        // What that button sends (no command) saves the petition rather than adding a decision maker row.
        var saved = await owner.SubmitAsync(page.Form(OrganizeSteps.StartForm), new PetitionFormBuilder().Build());
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
    }

    [Fact]
    public async Task Dashboard_BelowFiveSignatures_ShowsDeclareVictoryDisabledWithTheReason()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, user.Id);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 4);
        using var owner = await App.LoggedInVisitorAsync(user);

        var dashboard = await owner.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Null(dashboard.Find($"a[href='/dashboard/p/{petition.Slug}/victory']"));
        var button = dashboard.One("button[aria-describedby=victory-why]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal("Declare victory", button.TextContent.Trim());
        Assert.Equal("You can declare victory once the petition has at least 5 confirmed signatures. It has 4.", dashboard.Text("#victory-why"));

        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 1);
        var enough = await owner.GetAsync($"/dashboard/p/{petition.Slug}");
        Assert.NotNull(enough.Find($"a[href='/dashboard/p/{petition.Slug}/victory']"));
        Assert.Null(enough.Find("#victory-why"));
    }

    [Theory]
    [InlineData("closed")]
    [InlineData("victory")]
    [InlineData("delivered")]
    public async Task Edit_ClosedWonOrDeliveredPetition_IsLocked_NothingChanges(string state)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var builder = new PetitionBuilder().AddressedTo("The Mayor", "City Hall");
        builder = state switch
        {
            "closed" => builder.Closed(),
            "delivered" => builder.DeliveredTo("The Mayor"),
            _ => builder,
        };
        var petition = await builder.CreateOwnedAsync(App.Services, user.Id, p =>
        {
            if (state == "victory")
            {
                p.Status = PetitionStatus.Victory;
                p.VictoryAt = p.ClosedAt = DateTimeOffset.UtcNow;
            }
        });
        using var owner = await App.LoggedInVisitorAsync(user);
        var dashboardBefore = await owner.GetAsync($"/dashboard/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.OK, dashboardBefore.Status);

        var form = await owner.GetAsync($"/dashboard/p/{petition.Slug}/edit");
        var token = dashboardBefore.AntiforgeryToken("form[action='/account/logout']");
        var post = await owner.PostAsync($"/dashboard/p/{petition.Slug}/edit",
            [new("__RequestVerificationToken", token), new("Title", "A different demand"), new("Body", "Something else entirely, written after people signed."), new("StarterName", "Someone"), new("Category", "Transport"), new("GoalMode", "automatic")]);

        Assert.Equal(HttpStatusCode.Conflict, form.Status);
        Assert.Equal("This petition can no longer be edited", form.Text("h1"));
        Assert.Null(form.Find($"form[action='/dashboard/p/{petition.Slug}/edit']"));
        Assert.Equal(HttpStatusCode.Conflict, post.Status);
        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync(p => p.Id == petition.Id));
        Assert.Equal((petition.Title, petition.Body), (saved.Title, saved.Body));
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionEdits.CountAsync()));
        var dashboard = await owner.GetAsync($"/dashboard/p/{petition.Slug}");
        Assert.Null(dashboard.Find($"a[href='/dashboard/p/{petition.Slug}/edit']"));
        Assert.Contains("stays as people signed it", dashboard.Text("#edit-locked-why"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_LockedPetitionOfSomeoneElse_IsStill404()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var stranger = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().Closed().CreateOwnedAsync(App.Services, owner.Id);
        using var browser = await App.LoggedInVisitorAsync(stranger);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/edit");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }
}
