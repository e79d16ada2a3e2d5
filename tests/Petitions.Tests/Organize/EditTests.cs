using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

/// <summary>Editing keeps a history of what supporters signed, and a published petition then says when it was edited.</summary>
public sealed class EditTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Get_Edit_ShowsTheCurrentValues()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/edit");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Edit your petition", page.Text("h1"));
        var form = page.Form($"form[action='/dashboard/p/{petition.Slug}/edit']");
        Assert.Equal("Fix the potholes on Elm Street", ((IHtmlInputElement)form.QuerySelector("#Title")!).Value);
        Assert.Equal(PetitionBuilder.ShortBody, ((IHtmlTextAreaElement)form.QuerySelector("#Body")!).Value);
        Assert.Equal("Jane Smith", ((IHtmlInputElement)form.QuerySelector("#DecisionMakers_0__Name")!).Value);
        Assert.Equal("Council leader", ((IHtmlInputElement)form.QuerySelector("#DecisionMakers_0__TitleOrOrganization")!).Value);
        Assert.Equal("leader@council.example", ((IHtmlInputElement)form.QuerySelector("#DecisionMakers_0__Email")!).Value);
        Assert.Equal("Sam Jones", ((IHtmlInputElement)form.QuerySelector("#DecisionMakers_1__Name")!).Value);
        Assert.True(((IHtmlInputElement)form.QuerySelector("#GoalMode_fixed")!).IsChecked);
        Assert.Equal("100", ((IHtmlInputElement)form.QuerySelector("#Goal")!).Value);
        Assert.Null(form.QuerySelector("#StarterCountry"));
    }

    [Fact]
    public async Task Post_PublishedPetition_SavesTheChangeKeepsHistoryAndShowsEditedOn()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;
        var form = new PetitionFormBuilder()
            .WithTitle("Fix every pothole on Elm Street")
            .WithBody("The potholes are **worse** since the frost.")
            .WithDecisionMakers(("Sam Jones", "Mayor", ""), ("Ana Lima", "Highways officer", "highways@council.example"))
            .FixedGoal("500");

        var result = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", form.BuildForEdit());

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/dashboard/p/{petition.Slug}", result.PathAndQuery());
        var saved = await App.WithDbAsync(db => db.Petitions.AsNoTracking().Include(p => p.DecisionMakers).SingleAsync());
        Assert.Equal("Fix every pothole on Elm Street", saved.Title);
        Assert.Equal(petition.Slug, saved.Slug);
        Assert.Equal(500, saved.Goal);
        Assert.NotNull(saved.EditedAt);
        Assert.Equal([("Sam Jones", 0), ("Ana Lima", 1)], saved.DecisionMakers.OrderBy(d => d.Position).Select(d => (d.Name, d.Position)));

        var edit = await App.WithDbAsync(db => db.PetitionEdits.AsNoTracking().SingleAsync());
        Assert.Equal(petition.Id, edit.PetitionId);
        Assert.Equal("Fix the potholes on Elm Street", edit.PreviousTitle);
        Assert.Equal(PetitionBuilder.ShortBody, edit.PreviousBody);
        Assert.Equal(100, edit.PreviousGoal);
        Assert.Equal(petition.OwnerId, edit.EditedByUserId);
        using (var previous = JsonDocument.Parse(edit.PreviousDecisionMakersJson))
        {
            Assert.Equal(["Jane Smith", "Sam Jones"], previous.RootElement.EnumerateArray().Select(d => d.GetProperty("Name").GetString()));
        }

        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Equal("Fix every pothole on Elm Street", page.Text("h1"));
        Assert.Equal("worse", page.Text(".petition-body strong"));
        Assert.Contains($"Edited on {DateTime.UtcNow.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}", page.Text(".petition-body"), StringComparison.Ordinal);
        Assert.Equal(["Sam Jones, Mayor", "Ana Lima, Highways officer"], page.All(".decision-makers li").Select(li => HtmlPage.Normalize(li.TextContent)));
    }

    [Fact]
    public async Task Post_TwoEdits_KeepsBothVersionsInTheHistory()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", new PetitionFormBuilder().WithTitle("Second title").BuildForEdit());
        await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", new PetitionFormBuilder().WithTitle("Third title").BuildForEdit());

        var history = await App.WithDbAsync(db => db.PetitionEdits.OrderBy(e => e.Id).Select(e => e.PreviousTitle).ToListAsync());
        Assert.Equal(["Fix the potholes on Elm Street", "Second title"], history);
        Assert.Equal("Third title", await App.WithDbAsync(db => db.Petitions.Select(p => p.Title).SingleAsync()));
    }

    [Fact]
    public async Task Post_Draft_SavesWithoutEditedOnAndGoesBackToThePreview()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder());

        var result = await browser.SubmitFormOnAsync($"/dashboard/p/{slug}/edit", new PetitionFormBuilder().WithTitle("A better title").BuildForEdit());

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/dashboard/p/{slug}/preview", result.PathAndQuery());
        Assert.Null(await App.WithDbAsync(db => db.Petitions.Select(p => p.EditedAt).SingleAsync()));
        var preview = await browser.GetAsync($"/dashboard/p/{slug}/preview");
        Assert.Equal("A better title", preview.Text("h1"));
        Assert.DoesNotContain("Edited on", preview.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Invalid_ShowsErrorsKeepsInputAndChangesNothing()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;
        var form = new PetitionFormBuilder().WithTitle("").WithBody("A new body that was typed")
            .WithDecisionMakers(("Sam Jones", "Mayor", "not-an-email"), ("Ana Lima", "", ""));

        var page = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", form.BuildForEdit());

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Edit your petition", page.Title, StringComparison.Ordinal);
        Assert.Equal(["#Title", "#DecisionMakers_0__Email"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal("A new body that was typed", ((IHtmlTextAreaElement)page.One("#Body")).Value);
        Assert.Equal("not-an-email", page.One("#DecisionMakers_0__Email").GetAttribute("value"));
        Assert.Equal("Ana Lima", page.One("#DecisionMakers_1__Name").GetAttribute("value"));
        Assert.Equal("Fix the potholes on Elm Street", await App.WithDbAsync(db => db.Petitions.Select(p => p.Title).SingleAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionEdits.CountAsync()));
        Assert.Equal(2, await App.WithDbAsync(db => db.DecisionMakers.CountAsync()));
    }

    [Fact]
    public async Task Post_AddAnotherDecisionMaker_AddsARowWithoutSaving()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;
        var fields = new PetitionFormBuilder().WithTitle("Typed but not saved").BuildForEdit().Append(new("command", "add-decision-maker"));

        var page = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit", fields);

        // The form had two rows (the builder replaced only the first), and a third is added.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(3, page.All(".decision-maker-row").Count);
        Assert.Equal("Sam Jones", page.One("#DecisionMakers_1__Name").GetAttribute("value"));
        Assert.Equal("", page.One("#DecisionMakers_2__Name").GetAttribute("value"));
        Assert.Equal("Typed but not saved", page.One("#Title").GetAttribute("value"));
        Assert.Equal("Fix the potholes on Elm Street", await App.WithDbAsync(db => db.Petitions.Select(p => p.Title).SingleAsync()));
    }

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder()
            .AddressedTo("Jane Smith", "Council leader", "leader@council.example")
            .AddressedTo("Sam Jones")
            .WithGoal(100)
            .CreateOwnedAsync(App.Services, user.Id);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 3);
        return (await App.LoggedInVisitorAsync(user), petition);
    }
}
