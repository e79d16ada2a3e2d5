using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

/// <summary>Starting a petition saves a private draft with the starter's signature; preview shows it as it will look; publishing opens it.</summary>
public sealed class StartAndPublishTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Get_Start_PrefillsTheStarterNameFromTheAccount()
    {
        var user = await new UserBuilder().Named("Friends of Jesus Green").CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await browser.GetAsync("/start");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Start a petition", page.Text("h1"));
        Assert.Equal("Friends of Jesus Green", page.One("#StarterName").GetAttribute("value"));
        Assert.Single(page.All(".decision-maker-row"));
    }

    [Fact]
    public async Task Post_ValidForm_SavesADraftWithThePendingStarterSignatureAndShowsThePreview()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var closesOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
        var form = new PetitionFormBuilder()
            .WithTitle("  Build protected cycle lanes on Mill Road ")
            .WithDecisionMakers(("Jane Smith", "Leader, Cambridge City Council", "leader@council.example"), ("", "", ""), ("Sam Jones ", "", ""))
            .With("StarterName", " Mill Road Cyclists ")
            .FixedGoal("2,500")
            .ClosingOn(closesOn)
            .With("StarterCountry", "GB")
            .With("StarterPostcodeOrCity", " CB1 2AB ");

        var slug = await browser.StartPetitionAsync(form);

        Assert.Equal("build-protected-cycle-lanes-on-mill-road", slug);
        var petition = await App.WithDbAsync(db => db.Petitions.AsNoTracking().Include(p => p.DecisionMakers).SingleAsync());
        Assert.Equal(PetitionStatus.Draft, petition.Status);
        Assert.Equal(user.Id, petition.OwnerId);
        Assert.Equal("Build protected cycle lanes on Mill Road", petition.Title);
        Assert.Equal("Mill Road Cyclists", petition.StarterName);
        Assert.Equal("Transport", petition.Category);
        Assert.False(petition.AutomaticGoal);
        Assert.Equal(2500, petition.Goal);
        Assert.Equal(closesOn, DateOnly.FromDateTime(petition.ClosesAt!.Value.UtcDateTime));
        Assert.Null(petition.PublishedAt);
        Assert.Equal(
            [("Jane Smith", "Leader, Cambridge City Council", "leader@council.example"), ("Sam Jones", null, null)],
            petition.DecisionMakers.OrderBy(d => d.Position).Select(d => (d.Name, d.TitleOrOrganization, d.Email)));

        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(petition.Id, signature.PetitionId);
        Assert.Equal(SignatureState.Pending, signature.State);
        Assert.Equal("Mill Road Cyclists", signature.FullName);
        Assert.Equal(user.Email, signature.Email);
        Assert.Equal("GB", signature.Country);
        Assert.Equal("CB1 2AB", signature.PostcodeOrCity);
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));

        var preview = await browser.GetAsync($"/dashboard/p/{slug}/preview");
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Equal("Build protected cycle lanes on Mill Road", preview.Text("h1"));
        Assert.StartsWith("Preview:", preview.Title, StringComparison.Ordinal);
        Assert.Contains("Nobody else can see it until you publish it", preview.Text(".preview-bar"), StringComparison.Ordinal);
        Assert.Equal("Publish petition", preview.Text($"form[action='/dashboard/p/{slug}/publish'] button"));
        Assert.Equal("build protected cycle lanes", preview.Text(".petition-body strong"));
        Assert.Equal(["Jane Smith, Leader, Cambridge City Council", "Sam Jones"], preview.All(".decision-makers li").Select(li => HtmlPage.Normalize(li.TextContent)));
        Assert.Equal(
            "Mill Road Cyclists started this petition with a single signature, and now has 1 supporter. Start a petition today to change something you care about.",
            preview.Text(".starter-line"));
        Assert.Equal("Transport", preview.Text(".petition-meta .category"));
        Assert.DoesNotContain("leader@council.example", preview.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SameTitleTwice_GivesTheSecondADifferentSlug()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var first = await browser.StartPetitionAsync(new PetitionFormBuilder().WithTitle("Save the Elm Street oak"));
        var second = await browser.StartPetitionAsync(new PetitionFormBuilder().WithTitle("Save the Elm Street oak!"));

        Assert.Equal("save-the-elm-street-oak", first);
        Assert.Equal("save-the-elm-street-oak-2", second);
    }

    [Fact]
    public async Task Draft_IsNotVisiblePubliclyUntilPublished()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var organizer = await App.LoggedInVisitorAsync(user);
        var slug = await organizer.StartPetitionAsync(new PetitionFormBuilder().WithTitle("Reopen the swimming pool"));
        using var visitor = App.CreateVisitor();

        var page = await visitor.GetAsync($"/p/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.DoesNotContain("Reopen the swimming pool", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/p/{slug}.json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.GetAsync($"/p/{slug}")).Status);
        Assert.DoesNotContain("Reopen the swimming pool", (await visitor.GetAsync("/")).Html, StringComparison.Ordinal);

        // Signing a draft, with a real token from another page, is refused.
        var petition = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync());
        var other = await new PetitionBuilder().CreateAsync(App.Services);
        var token = await visitor.AntiforgeryTokenAsync(other.Slug);
        var refused = await visitor.PostAsync($"/p/{slug}/sign", new Builders.SignFormBuilder().Build(token));
        Assert.NotEqual(HttpStatusCode.Redirect, refused.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.Email != user.Email)));

        Assert.Equal(HttpStatusCode.Redirect, (await organizer.PublishAsync(slug)).Status);

        var published = await visitor.GetAsync($"/p/{slug}");
        Assert.Equal(HttpStatusCode.OK, published.Status);
        Assert.Equal("Reopen the swimming pool", published.Text("h1"));
    }

    [Fact]
    public async Task Publish_Draft_OpensItWithTheStarterSignatureConfirmedAndCounted()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder().With("StarterName", "Mill Road Cyclists"));

        var result = await browser.PublishAsync(slug);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/p/{slug}", result.PathAndQuery());
        var petition = await App.WithDbAsync(db => db.Petitions.AsNoTracking().SingleAsync());
        Assert.Equal(PetitionStatus.Open, petition.Status);
        Assert.NotNull(petition.PublishedAt);
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SignatureState.Confirmed, signature.State);
        Assert.NotNull(signature.ConfirmedAt);

        using var visitor = App.CreateVisitor();
        Assert.Equal(1, await visitor.WaitForShownCountAsync(slug, 1));
        var page = await visitor.GetAsync($"/p/{slug}");
        Assert.Equal(
            "Mill Road Cyclists started this petition with a single signature, and now has 1 supporter. Start a petition today to change something you care about.",
            page.Text(".starter-line"));
        Assert.Contains($"Started on {DateTime.UtcNow.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}", page.Text(".petition-meta"), StringComparison.Ordinal);
        Assert.NotNull(page.Find("form#sign"));
        Assert.Null(page.Find(".status-banner"));

        // Publishing again changes nothing.
        var preview = await browser.GetAsync($"/dashboard/p/{slug}/preview");
        Assert.Contains("This petition is published", preview.Text(".preview-bar"), StringComparison.Ordinal);
        Assert.Null(preview.Find($"form[action='/dashboard/p/{slug}/publish']"));
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Publish_ThenSupportersSign_StarterLineCountsEveryone()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder().With("StarterName", "Mill Road Cyclists"));
        await browser.PublishAsync(slug);
        var id = await App.WithDbAsync(db => db.Petitions.Select(p => p.Id).SingleAsync());
        await Supporters.AddConfirmedAsync(App.Services, id, 2);

        using var visitor = App.CreateVisitor();
        Assert.Equal(3, await visitor.WaitForShownCountAsync(slug, 3));

        var page = await visitor.GetAsync($"/p/{slug}");
        Assert.Contains("started this petition with a single signature, and now has 3 supporters.", page.Text(".starter-line"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert('body')</script>Plain text after the script.")]
    [InlineData("<iframe src=\"https://evil.example/\"></iframe>An iframe was here.")]
    [InlineData("<img src=x onerror=\"alert('img')\"> An image was here.")]
    [InlineData("<p onclick=\"alert('p')\" onmouseover=\"alert('p')\">Click me</p>")]
    [InlineData("[Click here](javascript:alert('link')) to win.")]
    [InlineData("<a href=\"JaVaScRiPt:alert('link')\">Mixed case</a> link.")]
    [InlineData("<a href=\"&#106;avascript:alert('link')\">Encoded</a> link.")]
    [InlineData("<svg onload=\"alert('svg')\"><circle r=\"5\" /></svg> A picture.")]
    [InlineData("<object data=\"javascript:alert('object')\"></object><embed src=\"javascript:alert('embed')\"> Objects.")]
    [InlineData("<form action=\"https://evil.example/\"><input name=\"password\"></form> A phishing form.")]
    [InlineData("<style>body { display: none }</style><div style=\"background:url(javascript:alert('css'))\">Styled</div>")]
    public async Task Markdown_WithDangerousHtml_IsSanitizedOnPreviewAndPublishedPage(string markdown)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var body = "## Why this matters\n\nThe **council** can fix this. [Read the report](https://council.example/report).\n\n" + markdown;
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder().WithBody(body));

        var preview = await browser.GetAsync($"/dashboard/p/{slug}/preview");
        await browser.PublishAsync(slug);
        using var visitor = App.CreateVisitor();
        var published = await visitor.GetAsync($"/p/{slug}");

        foreach (var page in new[] { preview, published })
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            SafeHtml.AssertSafe(page);
            // The harmless Markdown still renders.
            Assert.Equal("Why this matters", page.Text(".petition-body h2"));
            Assert.Equal("https://council.example/report", page.One(".petition-body a[href^='https://council.example']").GetAttribute("href"));
        }

        // The Markdown is stored as typed; only the rendering is sanitized.
        Assert.Equal(body, await App.WithDbAsync(db => db.Petitions.Select(p => p.Body).SingleAsync()));
    }

    [Fact]
    public async Task Title_WithHtml_IsShownAsText()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder()
            .WithTitle("<script>alert('title')</script> Stop the <b>bypass</b>")
            .With("StarterName", "<img src=x onerror=alert(1)>")
            .WithDecisionMakers(("<iframe src=https://evil.example></iframe>", "<script>x</script>", "")));
        await browser.PublishAsync(slug);
        using var visitor = App.CreateVisitor();

        var page = await visitor.GetAsync($"/p/{slug}");

        SafeHtml.AssertSafe(page);
        Assert.Equal("<script>alert('title')</script> Stop the <b>bypass</b>", page.Text("h1"));
        Assert.Null(page.Find("h1 b"));
    }
}
