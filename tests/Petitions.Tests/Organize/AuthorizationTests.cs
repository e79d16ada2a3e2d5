using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

public enum Visitor
{
    Anonymous,
    OtherUser,
    Owner,
    Admin,
}

/// <summary>
/// Every organizer action, for every kind of visitor: anonymous people are sent to log in, other users get a 404
/// (so they cannot even tell the petition is managed here), and the owner and any admin may act.
/// </summary>
public sealed class AuthorizationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string PetitionTitle = "Fix the potholes on Elm Street";

    private static readonly Dictionary<string, ActionCase> Actions = new(StringComparer.Ordinal)
    {
        ["GET /start"] = new("GET", "/start", PetitionStatus.Open, "/start", null, null),
        ["POST /start"] = new("POST", "/start", PetitionStatus.Open, "/start", new PetitionFormBuilder().WithTitle("A new petition").Build(),
            (before, after) => after.Petitions == before.Petitions + 1),
        ["GET preview"] = new("GET", "/dashboard/p/{0}/preview", PetitionStatus.Draft, "/dashboard/p/{0}/publish", null, null),
        ["POST publish"] = new("POST", "/dashboard/p/{0}/publish", PetitionStatus.Draft, "/p/{0}", [],
            (_, after) => after.Status == PetitionStatus.Open),
        ["GET edit"] = new("GET", "/dashboard/p/{0}/edit", PetitionStatus.Open, "/dashboard/p/{0}/edit", null, null),
        ["POST edit"] = new("POST", "/dashboard/p/{0}/edit", PetitionStatus.Open, "/dashboard/p/{0}", new PetitionFormBuilder().WithTitle("Edited title").BuildForEdit(),
            (_, after) => after.Title == "Edited title" && after.Edits == 1),
        ["GET updates/new"] = new("GET", "/dashboard/p/{0}/updates/new", PetitionStatus.Open, "/dashboard/p/{0}/updates/new", null, null),
        ["POST updates/new"] = new("POST", "/dashboard/p/{0}/updates/new", PetitionStatus.Open, "/p/{0}",
            [new("Form.Title", "News"), new("Form.Message", "Something happened.")],
            (_, after) => after.Updates == 1 && after.Jobs == 1),
        ["GET close"] = new("GET", "/dashboard/p/{0}/close", PetitionStatus.Open, "/dashboard/p/{0}/close", null, null),
        ["POST close"] = new("POST", "/dashboard/p/{0}/close", PetitionStatus.Open, "/p/{0}", [new("Form.Message", "Closing now.")],
            (_, after) => after.Status == PetitionStatus.Closed && after.Jobs == 1),
        ["GET victory"] = new("GET", "/dashboard/p/{0}/victory", PetitionStatus.Open, "/dashboard/p/{0}/victory", null, null),
        ["POST victory"] = new("POST", "/dashboard/p/{0}/victory", PetitionStatus.Open, "/p/{0}", [new("Form.Message", "We won.")],
            (_, after) => after.Status == PetitionStatus.Victory && after.Jobs == 1),
    };

    public static TheoryData<string, Visitor> Cases()
    {
        var cases = new TheoryData<string, Visitor>();
        foreach (var action in Actions.Keys)
        {
            foreach (var visitor in Enum.GetValues<Visitor>())
            {
                // Anyone logged in may start a petition, so "another user" means nothing there.
                if (!(action.EndsWith("/start", StringComparison.Ordinal) && visitor == Visitor.OtherUser))
                {
                    cases.Add(action, visitor);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Action_ByVisitor_IsAllowedOnlyForTheOwnerAndAdmins(string action, Visitor visitor)
    {
        var spec = Actions[action];
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle(PetitionTitle).AddressedTo("Jane Smith")
            .CreateOwnedAsync(App.Services, owner.Id, p => p.Status = spec.Status);
        // Enough confirmed signatures that victory is allowed, so only authorization decides.
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);
        using var browser = await BrowserForAsync(visitor, owner);
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, spec.Path, petition.Slug);
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, spec.Target, petition.Slug);
        var before = await SnapshotAsync(petition.Id);
        var allowed = visitor is Visitor.Owner or Visitor.Admin;

        HtmlPage response;
        if (spec.Method == "GET")
        {
            response = await browser.GetAsync(path);
        }
        else if (allowed)
        {
            // Through the real form, as the organizer would.
            var formPage = path == "/start" ? "/start" : spec.Path.Contains("publish", StringComparison.Ordinal) ? $"/dashboard/p/{petition.Slug}/preview" : path;
            response = await browser.SubmitFormOnAsync(formPage, spec.Fields!, action: path);
        }
        else
        {
            var token = await browser.AntiforgeryTokenAsync();
            response = await browser.PostAsync(path, spec.Fields!.Append(new(TestBrowser.AntiforgeryField, token)));
        }

        var after = await SnapshotAsync(petition.Id);
        switch (visitor)
        {
            case Visitor.Anonymous:
                AccountSteps.AssertRedirectsToLogin(response, path);
                Assert.Equal(before, after);
                break;
            case Visitor.OtherUser:
                Assert.Equal(HttpStatusCode.NotFound, response.Status);
                Assert.Equal("Page not found", response.Text("h1"));
                Assert.DoesNotContain(PetitionTitle, response.Html, StringComparison.Ordinal);
                Assert.Equal(before, after);
                break;
            case Visitor.Owner or Visitor.Admin when spec.Method == "GET":
                Assert.Equal(HttpStatusCode.OK, response.Status);
                Assert.NotNull(response.Find($"form[action='{target}']"));
                Assert.Equal(before, after);
                break;
            default:
                Assert.True(response.Status == HttpStatusCode.Redirect, $"Expected a redirect, got {(int)response.Status}: {AccountSteps.ErrorSummary(response)}");
                if (path == "/start")
                {
                    Assert.Matches("^/dashboard/p/a-new-petition/preview$", response.PathAndQuery());
                }
                else
                {
                    Assert.Equal(target, response.PathAndQuery());
                }

                Assert.True(spec.Changed!(before, after), $"Expected the action's change; before {before}, after {after}");
                break;
        }
    }

    [Theory]
    [InlineData("POST /start")]
    [InlineData("POST publish")]
    [InlineData("POST edit")]
    [InlineData("POST updates/new")]
    [InlineData("POST close")]
    [InlineData("POST victory")]
    public async Task Action_ByOwnerWithoutAntiforgeryToken_IsRefusedAndChangesNothing(string action)
    {
        var spec = Actions[action];
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle(PetitionTitle).AddressedTo("Jane Smith")
            .CreateOwnedAsync(App.Services, owner.Id, p => p.Status = spec.Status);
        await Supporters.AddConfirmedAsync(App.Services, petition.Id, 5);
        using var browser = await App.LoggedInVisitorAsync(owner);
        var before = await SnapshotAsync(petition.Id);

        var response = await browser.PostAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, spec.Path, petition.Slug), spec.Fields!);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(before, await SnapshotAsync(petition.Id));
    }

    [Fact]
    public async Task AdminRole_GivenToAnExistingUser_LetsThemManageAnyPetition()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, owner.Id);
        var moderator = await new UserBuilder().CreateAsync(App.Services);
        await using (var scope = App.CreateScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await roles.CreateAsync(new IdentityRole("Admin"))).Succeeded);
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(moderator.Id))!, "Admin")).Succeeded);
        }

        using var browser = await App.LoggedInVisitorAsync(moderator);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/dashboard/p/{petition.Slug}/edit")).Status);
        var result = await browser.ClosePetitionAsync(petition.Slug, "Closed by a moderator.");
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(PetitionStatus.Closed, (await SnapshotAsync(petition.Id)).Status);
        // The petition still belongs to its owner.
        Assert.Equal(owner.Id, await App.WithDbAsync(db => db.Petitions.Select(p => p.OwnerId).SingleAsync()));
    }

    [Fact]
    public async Task PetitionWithoutOwner_AfterTheAccountWasDeleted_IsManagedOnlyByAdmins()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, ownerId: null);
        var user = await new UserBuilder().CreateAsync(App.Services);
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        using var someone = await App.LoggedInVisitorAsync(user);
        using var administrator = await App.LoggedInVisitorAsync(admin);

        Assert.Equal(HttpStatusCode.NotFound, (await someone.GetAsync($"/dashboard/p/{petition.Slug}/edit")).Status);
        Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync($"/dashboard/p/{petition.Slug}/edit")).Status);
    }

    [Fact]
    public async Task UnknownPetition_ForTheOwnerAndAdmin_Is404()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(admin);

        var page = await browser.GetAsync("/dashboard/p/no-such-petition/edit");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    private async Task<TestBrowser> BrowserForAsync(Visitor visitor, TestUser owner) => visitor switch
    {
        Visitor.Anonymous => App.CreateVisitor(),
        Visitor.OtherUser => await App.LoggedInVisitorAsync(await new UserBuilder().CreateAsync(App.Services)),
        Visitor.Owner => await App.LoggedInVisitorAsync(owner),
        _ => await App.LoggedInVisitorAsync(await UserBuilder.CreateAdminAsync(App.Services)),
    };

    private Task<Snapshot> SnapshotAsync(long petitionId) => App.WithDbAsync(async db =>
    {
        var petition = await db.Petitions.AsNoTracking().SingleAsync(p => p.Id == petitionId);
        return new Snapshot(
            await db.Petitions.CountAsync(),
            petition.Status,
            petition.Title,
            await db.PetitionEdits.CountAsync(),
            await db.PetitionUpdates.CountAsync(),
            await db.NotificationJobs.CountAsync(),
            await db.Signatures.CountAsync(s => s.PetitionId == petitionId && s.State == SignatureState.Confirmed));
    });

    private sealed record Snapshot(int Petitions, PetitionStatus Status, string Title, int Edits, int Updates, int Jobs, int Confirmed);

    /// <summary>
    /// One organizer action. <see cref="Path"/> and <see cref="Target"/> take the slug as {0}. For a GET, the target is the
    /// action of the form the page must show; for a POST, where an allowed visitor is redirected.
    /// </summary>
    private sealed record ActionCase(
        string Method,
        string Path,
        PetitionStatus Status,
        string Target,
        IReadOnlyList<KeyValuePair<string, string>>? Fields,
        Func<Snapshot, Snapshot, bool>? Changed);
}
