using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Organize;

/// <summary>Each rule of the "Start a petition" form: 400, the GOV.UK error pattern, everything typed kept, and nothing saved.</summary>
public sealed class StartValidationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public Task Post_MissingTitle_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithTitle("  "), "Title", "Enter a title for your petition");

    [Fact]
    public Task Post_TitleOver120Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithTitle(new string('t', 121)), "Title", "Title must be 120 characters or fewer");

    [Fact]
    public Task Post_TitleOf120Characters_IsAccepted() =>
        AssertAcceptedAsync(new PetitionFormBuilder().WithTitle(new string('t', 120)));

    [Fact]
    public Task Post_MissingBody_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithBody(""), "Body", "Enter what you are asking for and why");

    [Fact]
    public Task Post_BodyOver10000Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithBody(new string('b', 10_001)), "Body", "The petition text must be 10,000 characters or fewer");

    [Fact]
    public Task Post_BodyOf10000Characters_IsAccepted() =>
        AssertAcceptedAsync(new PetitionFormBuilder().WithBody(new string('b', 10_000)));

    [Fact]
    public Task Post_NoDecisionMaker_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithDecisionMakers(), "DecisionMakers", "Enter at least one decision maker");

    [Fact]
    public Task Post_OnlyBlankDecisionMakerRows_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().WithDecisionMakers((" ", "", ""), ("", "", "")), "DecisionMakers", "Enter at least one decision maker");

    [Theory]
    [InlineData("leader")]
    [InlineData("leader@council")]
    [InlineData("leader @council.example")]
    public Task Post_DecisionMakerEmailMalformed_ShowsErrorAndSavesNothing(string email) =>
        AssertRejectedAsync(
            new PetitionFormBuilder().WithDecisionMakers(("Jane Smith", "Council leader", email)),
            "DecisionMakers_0__Email",
            "Enter the decision maker's email address in the correct format, like name@example.com");

    [Fact]
    public Task Post_SecondDecisionMakerEmailMalformed_PointsAtThatRow() =>
        AssertRejectedAsync(
            new PetitionFormBuilder().WithDecisionMakers(("Jane Smith", "Council leader", "leader@council.example"), ("Sam Jones", "Mayor", "mayor")),
            "DecisionMakers_1__Email",
            "Enter the decision maker's email address in the correct format, like name@example.com");

    [Fact]
    public Task Post_DecisionMakerWithoutName_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(
            new PetitionFormBuilder().WithDecisionMakers(("", "Cambridge City Council", "")),
            "DecisionMakers_0__Name",
            "Enter the decision maker's name");

    [Fact]
    public Task Post_MoreThan20DecisionMakers_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(
            new PetitionFormBuilder().WithDecisionMakers(Enumerable.Range(1, 21).Select(i => ($"Councillor {i}", "", "")).ToArray()),
            "DecisionMakers",
            "Enter 20 decision makers or fewer");

    [Fact]
    public Task Post_MissingStarterName_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().With("StarterName", ""), "StarterName", "Enter the name the petition is started by");

    [Theory]
    [InlineData("")]
    [InlineData("Weapons")]
    public Task Post_MissingOrUnknownCategory_ShowsErrorAndSavesNothing(string category) =>
        AssertRejectedAsync(new PetitionFormBuilder().With("Category", category), "Category", "Select a category");

    [Theory]
    [InlineData("", "Enter a signature goal, or choose an automatic goal")]
    [InlineData("lots", "Signature goal must be a whole number, like 1000")]
    [InlineData("12.5", "Signature goal must be a whole number, like 1000")]
    [InlineData("9", "Signature goal must be between 10 and 100,000,000")]
    [InlineData("-100", "Signature goal must be between 10 and 100,000,000")]
    [InlineData("100000001", "Signature goal must be between 10 and 100,000,000")]
    public Task Post_BadFixedGoal_ShowsErrorAndSavesNothing(string goal, string message) =>
        AssertRejectedAsync(new PetitionFormBuilder().FixedGoal(goal), "Goal", message);

    [Fact]
    public Task Post_PastClosingDate_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().ClosingOn(Today.AddDays(-1)), "ClosesOn", "Closing date must be in the future");

    [Fact]
    public Task Post_ClosingDateToday_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().ClosingOn(Today), "ClosesOn", "Closing date must be in the future");

    [Theory]
    [InlineData("2027-02-30")]
    [InlineData("31/03/2027")]
    [InlineData("next week")]
    public Task Post_ClosingDateNotADate_ShowsErrorAndSavesNothing(string closesOn) =>
        AssertRejectedAsync(new PetitionFormBuilder().With("ClosesOn", closesOn), "ClosesOn", "Closing date must be a real date, like 2027-03-31");

    [Fact]
    public Task Post_ClosingDateOver2YearsAway_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().ClosingOn(Today.AddYears(2).AddDays(2)), "ClosesOn", "Closing date must be within 2 years");

    [Theory]
    [InlineData("")]
    [InlineData("ZZ")]
    public Task Post_MissingOrUnknownStarterCountry_ShowsErrorAndSavesNothing(string country) =>
        AssertRejectedAsync(new PetitionFormBuilder().With("StarterCountry", country), "StarterCountry", "Select your country");

    [Fact]
    public Task Post_MissingStarterPostcode_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new PetitionFormBuilder().With("StarterPostcodeOrCity", " "), "StarterPostcodeOrCity", "Enter your postcode or city");

    [Fact]
    public async Task Post_EverythingMissing_ListsEveryErrorInFormOrder()
    {
        using var browser = await OrganizerAsync();
        var form = new PetitionFormBuilder().WithTitle("").WithBody("").WithDecisionMakers().With("StarterName", "").With("Category", "")
            .FixedGoal("").With("StarterCountry", "").With("StarterPostcodeOrCity", "");

        var page = await browser.StartAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(
            ["#Title", "#Body", "#DecisionMakers", "#StarterName", "#Category", "#Goal", "#StarterCountry", "#StarterPostcodeOrCity"],
            page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_Invalid_KeepsEveryTypedValueIncludingEveryDecisionMakerRow()
    {
        using var browser = await OrganizerAsync();
        var form = new PetitionFormBuilder()
            .WithTitle(new string('t', 121))
            .WithBody("Line one\n\n**Line two** <em>kept as typed</em>")
            .WithDecisionMakers(("Jane Smith", "Council leader", "leader@council.example"), ("Sam Jones", "Mayor of Cambridge", "not-an-email"), ("Ana Lima", "", ""))
            .With("StarterName", "Friends of Mill Road")
            .With("Category", "Environment")
            .FixedGoal("2500")
            .ClosingOn(Today.AddMonths(3))
            .With("StarterCountry", "IE")
            .With("StarterPostcodeOrCity", "Dublin 8");

        var page = await browser.StartAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(["#Title", "#DecisionMakers_1__Email"], page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        AssertFormShows(page, form);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task Post_AddAnotherDecisionMaker_AddsABlankRowAndKeepsEverything()
    {
        using var browser = await OrganizerAsync();
        var form = new PetitionFormBuilder()
            .WithDecisionMakers(("Jane Smith", "Council leader", "leader@council.example"))
            .With("Category", "Housing")
            .FixedGoal("750");

        var page = await browser.StartAsync(form, command: "add-decision-maker");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Empty(page.All(".error-summary"));
        Assert.Equal(2, page.All(".decision-maker-row").Count);
        AssertFormShows(page, form.AddDecisionMaker(""));
        await AssertNothingSavedAsync();

        // The new row is filled in and the form submitted: both decision makers are saved, in order.
        var filled = form.WithDecisionMakers(("Jane Smith", "Council leader", "leader@council.example"), ("Sam Jones", "Mayor", ""));
        var result = await browser.SubmitAsync(page.Form(OrganizeSteps.StartForm), filled.Build());
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var saved = await App.WithDbAsync(db => db.DecisionMakers.OrderBy(d => d.Position).Select(d => d.Name).ToListAsync());
        Assert.Equal(["Jane Smith", "Sam Jones"], saved);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefusedAndSavesNothing()
    {
        using var browser = await OrganizerAsync();

        var result = await browser.PostAsync("/start", new PetitionFormBuilder().Build());

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        await AssertNothingSavedAsync();
    }

    private async Task<TestBrowser> OrganizerAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        return await App.LoggedInVisitorAsync(user);
    }

    private async Task AssertRejectedAsync(PetitionFormBuilder form, string fieldId, string message)
    {
        using var browser = await OrganizerAsync();

        var page = await browser.StartAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Start a petition", page.Title, StringComparison.Ordinal);
        var links = page.All(".error-summary a");
        Assert.Equal([$"#{fieldId}"], links.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, links[0].TextContent.Trim());
        Assert.NotNull(page.Find($"#{fieldId}"));
        if (fieldId == "DecisionMakers")
        {
            Assert.Equal($"Error: {message}", HtmlPage.Normalize(page.One("#DecisionMakers > .error-message").TextContent));
        }
        else
        {
            Assert.Equal($"Error: {message}", page.Text($"#{fieldId}-error"));
            Assert.Contains($"{fieldId}-error", page.One($"#{fieldId}").GetAttribute("aria-describedby") ?? "", StringComparison.Ordinal);
        }

        AssertFormShows(page, form);
        await AssertNothingSavedAsync();
    }

    private async Task AssertAcceptedAsync(PetitionFormBuilder form)
    {
        using var browser = await OrganizerAsync();

        var result = await browser.StartAsync(form);

        Assert.True(result.Status == HttpStatusCode.Redirect, $"Expected a redirect, got {(int)result.Status}: {AccountSteps.ErrorSummary(result)}");
        Assert.Equal(1, await App.WithDbAsync(db => db.Petitions.CountAsync()));
    }

    /// <summary>Every field of the re-rendered form shows what was posted (a field of only spaces comes back empty).</summary>
    private static void AssertFormShows(HtmlPage page, PetitionFormBuilder form)
    {
        var start = page.Form(OrganizeSteps.StartForm);
        string Input(string id) => ((IHtmlInputElement)start.QuerySelector($"#{id}")!).Value;
        static string Typed(string value) => string.IsNullOrWhiteSpace(value) ? "" : value;
        Assert.Equal(Typed(form["Title"]), Input("Title"));
        Assert.Equal(Typed(form["Body"]).ReplaceLineEndings("\n"), ((IHtmlTextAreaElement)start.QuerySelector("#Body")!).Value.ReplaceLineEndings("\n"));
        Assert.Equal(Typed(form["StarterName"]), Input("StarterName"));
        Assert.Equal(Typed(form["Goal"]), Input("Goal"));
        Assert.Equal(Typed(form["ClosesOn"]), Input("ClosesOn"));
        Assert.Equal(Typed(form["StarterPostcodeOrCity"]), Input("StarterPostcodeOrCity"));
        AssertSelected(start, "Category", form["Category"]);
        AssertSelected(start, "StarterCountry", form["StarterCountry"]);
        Assert.True(((IHtmlInputElement)start.QuerySelector($"#GoalMode_{form["GoalMode"]}")!).IsChecked);

        var rows = start.QuerySelectorAll(".decision-maker-row");
        Assert.Equal(Math.Max(1, form.DecisionMakers.Count), rows.Length);
        for (var i = 0; i < form.DecisionMakers.Count; i++)
        {
            var (name, title, email) = form.DecisionMakers[i];
            Assert.Equal(Typed(name), Input($"DecisionMakers_{i}__Name"));
            Assert.Equal(Typed(title), Input($"DecisionMakers_{i}__TitleOrOrganization"));
            Assert.Equal(Typed(email), Input($"DecisionMakers_{i}__Email"));
        }
    }

    private static void AssertSelected(IHtmlFormElement form, string id, string value)
    {
        var select = (IHtmlSelectElement)form.QuerySelector($"#{id}")!;
        if (select.Options.Any(o => o.Value == value))
        {
            Assert.Equal(value, select.Value);
        }
        else
        {
            // A value the list does not offer (a forged post) selects nothing, so the prompt shows.
            Assert.Empty(select.QuerySelectorAll("option[selected]"));
        }
    }

    private async Task AssertNothingSavedAsync()
    {
        Assert.Equal(0, await App.WithDbAsync(db => db.Petitions.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.DecisionMakers.CountAsync()));
    }
}
