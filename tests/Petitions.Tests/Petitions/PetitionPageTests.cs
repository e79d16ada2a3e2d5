using System.Net;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Petitions;

public sealed class PetitionPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly string LongBody = string.Join("\n\n",
        "## Why it matters",
        string.Concat(Enumerable.Repeat("Every winter the potholes get deeper and more cyclists are hurt. ", 8)),
        "## What we ask",
        string.Concat(Enumerable.Repeat("Repair the road surface, then inspect it every spring. ", 8)),
        "The folded closing paragraph says thank you to every neighbour who signs.");

    [Fact]
    public async Task Get_OpenPetition_ShowsTitleStarterLineCallToActionAndSignForm()
    {
        var petition = await new PetitionBuilder()
            .WithTitle("Light the towpath between the locks")
            .StartedBy("Canal Walkers")
            .WithSignatureCount(1234)
            .WithGoal(2500)
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Light the towpath between the locks", page.Text("h1"));
        Assert.StartsWith("Light the towpath between the locks", page.Title, StringComparison.Ordinal);
        Assert.Null(page.Find(".status-closed"));
        Assert.Equal(
            $"Canal Walkers started this petition with a single signature, and now has {1234:N0} supporters. Start a petition today to change something you care about.",
            page.Text(".starter-line"));
        Assert.Equal("/start", page.One(".starter-line a").GetAttribute("href"));
        var progress = page.One("[role=progressbar]");
        Assert.Equal("1234", progress.GetAttribute("aria-valuenow"));
        Assert.Equal("0", progress.GetAttribute("aria-valuemin"));
        Assert.Equal("2500", progress.GetAttribute("aria-valuemax"));
        var form = page.Form("form#sign");
        Assert.Equal($"/p/{petition.Slug}/sign", form.GetAttribute("action"));
        // The same page for every anonymous visitor: no token in the form, no cookie (see PublicPageTests).
        Assert.Null(form.QuerySelector($"input[name={TestBrowser.AntiforgeryField}]"));
        Assert.Equal("Sign this petition", HtmlPage.Normalize(form.QuerySelector("button[type=submit]")!.TextContent));
    }

    [Fact]
    public async Task Get_ClosedDeliveredPetition_ShowsBannerRecipientsAndNoForm()
    {
        var petition = await new PetitionBuilder()
            .Closed()
            .AddressedTo("The Mayor", "City Hall")
            .AddressedTo("Highways Committee")
            .DeliveredTo("The Mayor", "Highways Committee")
            .WithSignatureCount(2)
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Petition Closed", page.Text(".status-closed"));
        Assert.Equal(["The Mayor, City Hall", "Highways Committee"], page.All(".decision-makers li").Select(li => HtmlPage.Normalize(li.TextContent)));
        Assert.Equal("This petition was delivered to:", page.Text(".delivered-to h2"));
        Assert.Equal(["The Mayor", "Highways Committee"], page.All(".delivered-to .recipient-name").Select(r => r.TextContent.Trim()));
        Assert.Contains("now has 2 supporters", page.Text(".starter-line"), StringComparison.Ordinal);
        Assert.Null(page.Find("form#sign"));
        Assert.Contains("no longer accepts signatures", page.Text(".closed-note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PetitionNeverDelivered_HasNoDeliveredToSection()
    {
        var petition = await new PetitionBuilder().AddressedTo("The Mayor").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal("The Mayor", page.Text(".decision-makers li"));
        Assert.Null(page.Find(".delivered-to"));
        Assert.DoesNotContain("This petition was delivered to:", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Petition_HasOpenGraphAndTwitterMetaTags()
    {
        var petition = await new PetitionBuilder().WithTitle("Save the old oak on Mill Lane").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal("Save the old oak on Mill Lane", page.Meta("og:title"));
        Assert.Equal("article", page.Meta("og:type"));
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/p/{petition.Slug}", page.Meta("og:url"));
        Assert.StartsWith("The potholes on Elm Street", page.Meta("og:description"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(page.Meta("og:image")));
        Assert.Equal("summary_large_image", page.Meta("twitter:card"));
        Assert.Equal("Save the old oak on Mill Lane", page.Meta("twitter:title"));
        Assert.Equal(page.Meta("og:description"), page.Meta("twitter:description"));
        Assert.Equal(page.Meta("og:description"), page.Meta("description"));
    }

    [Fact]
    public async Task Get_LongBody_FoldsTheRestBehindReadMore()
    {
        var petition = await new PetitionBuilder().WithBody(LongBody).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        var details = page.One(".petition-body details");
        Assert.Null(details.GetAttribute("open"));
        Assert.Equal("Read more", details.QuerySelector("summary")!.TextContent.Trim());
        Assert.Contains("says thank you to every neighbour", details.TextContent, StringComparison.Ordinal);
        Assert.Contains("Why it matters", page.Text(".petition-body"), StringComparison.Ordinal);
        Assert.DoesNotContain("Why it matters", details.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ShortBody_HasNoReadMore()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(PetitionBuilder.ShortBody, page.Text(".petition-body"));
        Assert.Null(page.Find(".petition-body details"));
    }

    [Fact]
    public async Task Get_MarkdownWithScript_RendersSanitizedHtml()
    {
        var petition = await new PetitionBuilder()
            .WithBody("**Bold demand** <script>alert('x')</script> [link](javascript:alert(1))")
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal("Bold demand", page.Text(".petition-body strong"));
        Assert.Empty(page.All(".petition-body script"));
        Assert.DoesNotContain(page.All(".petition-body a"), a => (a.GetAttribute("href") ?? "").Contains("javascript", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Get_MarkdownWithFormControls_RendersNoneOfThem()
    {
        var petition = await new PetitionBuilder()
            .WithBody("Sign here: <input name=\"Form.Email\" value=\"x\"> <button>Go</button> <select><option>a</option></select> <textarea>t</textarea> <label>L</label> <fieldset>f</fieldset>")
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Empty(page.All(".petition-body input, .petition-body button, .petition-body select, .petition-body option, .petition-body textarea, .petition-body label, .petition-body fieldset"));
        Assert.StartsWith("Sign here:", page.Text(".petition-body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PetitionWithSupporters_ShowsPublicSupportersWithReasonsButNotPrivateOnes()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(3).CreateAsync(App.Services);
        await SignatureBuilder.CreateManyAsync(App.Services,
        [
            new SignatureBuilder(petition.Id).Named("Public Pat").From("IE", "Dublin").WithReason("My kids cycle here.")
                .CreatedAt(DateTimeOffset.UtcNow.AddMinutes(-10)).Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).Named("Private Priya").WithReason("Secret reason").Private().Confirmed(alreadyCounted: true),
            new SignatureBuilder(petition.Id).Named("Unconfirmed Uma").Pending(),
            new SignatureBuilder(petition.Id).Named("Quiet Quentin").CreatedAt(DateTimeOffset.UtcNow.AddMinutes(-2)).Confirmed(alreadyCounted: true),
        ]);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        var names = page.All(".supporters .supporter strong").Select(s => s.TextContent.Trim()).ToList();
        // Most recent first.
        Assert.Equal(["Quiet Quentin", "Public Pat"], names);
        Assert.Contains("Ireland", page.Text(".supporters"), StringComparison.Ordinal);
        Assert.Equal("My kids cycle here.", page.Text(".supporters .reason"));
        Assert.DoesNotContain("Private Priya", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret reason", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Unconfirmed Uma", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownSlug_Returns404Page()
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/p/no-such-petition");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
    }

    [Fact]
    public async Task Get_DraftPetition_Returns404Page()
    {
        var petition = await new PetitionBuilder().Draft().WithTitle("Secret draft title").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.DoesNotContain("Secret draft title", page.Html, StringComparison.Ordinal);
    }
}
