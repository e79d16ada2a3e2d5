using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Features.MySignatures;

namespace Petitions.Tests.Privacy;

public sealed class MySignaturesTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Ask_KnownAndUnknownAddress_GetTheSamePage_AndOnlyTheKnownOneGetsALink()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var known = UniqueEmail("known");
        var unknown = UniqueEmail("unknown");
        await new SignatureBuilder(petition.Id).WithEmail(known).Confirmed(true).CreateAsync(App.Services);
        using var first = App.CreateBrowser();
        using var second = App.CreateBrowser();

        var knownPage = await AskAsync(first, known);
        var unknownPage = await AskAsync(second, unknown);

        Assert.Equal(HttpStatusCode.OK, knownPage.Status);
        Assert.Equal(knownPage.Status, unknownPage.Status);
        Assert.Equal(knownPage.Text("main"), unknownPage.Text("main"));
        Assert.Equal("Check your email", knownPage.Text("h1"));
        var mail = await MailDev.WaitForEmailAsync(known);
        Assert.Equal("Your link to see your signatures", mail.Subject);
        Assert.Contains("/my/open/", mail.SingleLink("/my/open/"), StringComparison.Ordinal);
        await App.WaitForOutboxDrainedAsync();
        Assert.Empty(await MailDev.ListToAsync(unknown));
    }

    [Fact]
    public async Task Ask_InvalidAddress_ShowsTheErrorAndKeepsTheInput()
    {
        using var browser = App.CreateBrowser();

        var page = await AskAsync(browser, "not-an-address");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Enter an email address in the correct format", page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal("not-an-address", page.One("input[name=Email]").GetAttribute("value"));
    }

    [Fact]
    public async Task Link_WorksOnce_AndTheListShowsEverySignatureOfThatAddressOnly()
    {
        var email = UniqueEmail("lister");
        var first = await new PetitionBuilder().WithTitle("Plant trees on Mill Road").CreateAsync(App.Services);
        var second = await new PetitionBuilder().WithTitle("Open the library on Sundays").CreateAsync(App.Services);
        var third = await new PetitionBuilder().WithTitle("Fix the swimming pool").CreateAsync(App.Services);
        await new SignatureBuilder(first.Id).WithEmail(email).Named("Lister Person").From("GB", "CB1 2AB").WithReason("Shade for all").Confirmed(true).CreateAsync(App.Services);
        await new SignatureBuilder(second.Id).WithEmail(email.ToUpperInvariant()).Named("Lister Person").Pending().CreateAsync(App.Services);
        await new SignatureBuilder(first.Id).Named("Someone Else").CreateAsync(App.Services);
        await new SignatureBuilder(third.Id).Named("Someone Else").Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        await AskAsync(browser, email);
        var link = new Uri((await MailDev.WaitForEmailAsync(email)).SingleLink("/my/open/")).PathAndQuery;
        var ask = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        var opened = await browser.SubmitAsync(ask.Form("main form[method=post]"), []);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        var list = await browser.GetAsync(opened.Location!.ToString());

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains("no-store", list.Headers["Cache-Control"], StringComparison.Ordinal);
        Assert.Equal(2, list.All("section.my-signature").Count);
        // The address is isolated left to right, so a Persian sentence around it cannot scramble it.
        Assert.Equal(email, list.One("main p.lead bdi[dir=ltr]").TextContent, ignoreCase: true);
        var text = list.Text("main");
        Assert.Contains("Plant trees on Mill Road", text, StringComparison.Ordinal);
        Assert.Contains("Open the library on Sundays", text, StringComparison.Ordinal);
        Assert.Contains("Shade for all", text, StringComparison.Ordinal);
        Assert.Contains("CB1 2AB", text, StringComparison.Ordinal);
        Assert.Contains("Confirmed and counted", text, StringComparison.Ordinal);
        Assert.Contains("Not confirmed: it does not count", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone Else", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fix the swimming pool", text, StringComparison.Ordinal);

        using var other = App.CreateBrowser();
        var again = await other.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("This link was already used", again.Text("h1"));
        Assert.Equal(HttpStatusCode.Gone, (await browser.SubmitAsync(ask.Form("main form[method=post]"), [])).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/my/signatures")).Status);
    }

    [Fact]
    public async Task Link_AfterAnHour_IsExpired()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var variant = App.WithHost(host => host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("late");
        await new SignatureBuilder(petition.Id).WithEmail(email).Confirmed(true).CreateAsync(App.Services);
        using var browser = variant.CreateVisitor();

        await browser.SubmitFormOnAsync("/my", [new("Email", email)]);
        var link = new Uri((await MailDev.WaitForEmailAsync(email)).SingleLink("/my/open/")).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).Status);
        clock.Now += TimeSpan.FromMinutes(61);
        var late = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.Gone, late.Status);
        Assert.Equal("This link or session has expired", late.Text("h1"));
    }

    [Fact]
    public async Task TamperedToken_IsAClear404()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("tamper");
        await new SignatureBuilder(petition.Id).WithEmail(email).Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        await AskAsync(browser, email);
        var link = new Uri((await MailDev.WaitForEmailAsync(email)).SingleLink("/my/open/")).PathAndQuery;
        var tampered = link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..];

        var page = await browser.GetAsync(tampered);
        var garbage = await browser.GetAsync("/my/open/garbage");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
        Assert.Equal(HttpStatusCode.NotFound, garbage.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).Status);
    }

    [Fact]
    public async Task WithdrawFromTheList_ReducesTheCountAfterCounting()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(2).CreateAsync(App.Services);
        var email = UniqueEmail("leaver");
        var mine = await new SignatureBuilder(petition.Id).WithEmail(email).Confirmed(true).CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var list = await OpenSessionAsync(browser, email);

        var done = await browser.SubmitAsync(list.Form($"form[action='/my/signatures/{mine.Id}/withdraw']"), []);

        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
        var row = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.Id == mine.Id));
        Assert.Equal(SignatureState.Withdrawn, row.State);
        Assert.NotNull(row.WithdrawnAt);
        var after = await browser.GetAsync("/my/signatures");
        Assert.Contains("Withdrawn: it does not count", after.Text("main"), StringComparison.Ordinal);
        Assert.Empty(after.All("form.withdraw"));
    }

    [Fact]
    public async Task WithdrawAnotherAddressesSignature_ChangesNothing()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(2).CreateAsync(App.Services);
        var email = UniqueEmail("mine");
        await new SignatureBuilder(petition.Id).WithEmail(email).Confirmed(true).CreateAsync(App.Services);
        var theirs = await new SignatureBuilder(petition.Id).Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var list = await OpenSessionAsync(browser, email);
        var form = list.Form("form.withdraw");
        form.SetAttribute("action", $"/my/signatures/{theirs.Id}/withdraw");

        await browser.SubmitAsync(form, []);

        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == theirs.Id).Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task Download_IsAJsonAttachmentWithTheData()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        var email = UniqueEmail("exporter");
        await new SignatureBuilder(petition.Id).WithEmail(email).Named("Export Person").From("FR", "Lyon").WithReason("Safer at night").Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var list = await OpenSessionAsync(browser, email);
        var form = list.Form("form.download");
        var fields = HtmlPage.FormFields(form);
        using var content = new FormUrlEncodedContent(fields);

        using var response = await browser.Client.PostAsync(new Uri("/my/signatures/download", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var signature = json.RootElement.GetProperty("signatures").EnumerateArray().Single();
        Assert.Equal("Light the towpath", signature.GetProperty("petition").GetProperty("title").GetString());
        Assert.Equal("Export Person", signature.GetProperty("fullName").GetString());
        Assert.Equal(email, signature.GetProperty("email").GetString());
        Assert.Equal("FR", signature.GetProperty("country").GetString());
        Assert.Equal("Lyon", signature.GetProperty("postcodeOrCity").GetString());
        Assert.Equal("Safer at night", signature.GetProperty("reason").GetString());
        Assert.Equal("Confirmed", signature.GetProperty("state").GetString());
        Assert.True(signature.GetProperty("showPublicly").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, signature.GetProperty("confirmedAt").ValueKind);
    }

    [Fact]
    public async Task Erase_LeavesNoPersonalDataOfThatAddress_AndCountsOnlyWhatRemains()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(2).CreateAsync(App.Services);
        var other = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("eraser");
        await new SignatureBuilder(petition.Id).WithEmail(email).Named("Erase Me Fully").From("GB", "ZZ9 9ZZ").WithReason("Unique reason 4711").Confirmed(true).CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Stay Here").Confirmed(true).CreateAsync(App.Services);
        await new SignatureBuilder(other.Id).WithEmail(email).Named("Erase Me Fully").From("GB", "ZZ9 9ZZ").WithReason("Unique reason 4711").Pending().CreateAsync(App.Services);
        await App.WithDbAsync(db => db.Signatures.Where(s => s.FullName == "Erase Me Fully").ExecuteUpdateAsync(s => s.SetProperty(x => x.IpAddress, "203.0.113.77")));
        using var browser = App.CreateBrowser();
        await OpenSessionAsync(browser, email);

        var ask = await browser.GetAsync("/my/erase");
        var erased = await browser.SubmitAsync(ask.Form("main form[method=post]"), []);

        Assert.Equal(HttpStatusCode.OK, erased.Status);
        Assert.Equal("Your signatures were erased", erased.Text("h1"));
        var rows = await RawSignaturesAsync();
        Assert.Equal(3, rows.Count);
        var everything = string.Join("\n", rows.SelectMany(r => r));
        Assert.DoesNotContain("Erase Me Fully", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(email, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ZZ9 9ZZ", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Unique reason 4711", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113", everything, StringComparison.Ordinal);
        Assert.Contains("Stay Here", everything, StringComparison.Ordinal);
        var states = await App.WithDbAsync(db => db.Signatures.Where(s => s.FullName != "Stay Here").Select(s => new { s.State, s.AnonymizedAt }).ToListAsync());
        Assert.All(states, s => Assert.Equal(SignatureState.Withdrawn, s.State));
        Assert.All(states, s => Assert.NotNull(s.AnonymizedAt));
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
        Assert.Equal(0, await App.WithDbAsync(db => db.SignerAccessLinks.CountAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/my/signatures")).Status);
    }

    [Fact]
    public async Task Throttle_PerAddress_BeyondTheLimitNoMoreEmails()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("flooded");
        await new SignatureBuilder(petition.Id).WithEmail(email).Confirmed(true).CreateAsync(App.Services);
        const int limit = 5;

        for (var i = 0; i < limit + 2; i++)
        {
            using var browser = App.CreateBrowser();
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(browser, email)).Status);
        }

        await MailDev.WaitForEmailsAsync(email, limit);
        await App.WaitForOutboxDrainedAsync();
        Assert.Equal(limit, (await MailDev.ListToAsync(email)).Count);
    }

    [Fact]
    public async Task Throttle_PerClient_BeyondTheLimitNoMoreEmails()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var emails = Enumerable.Range(0, MyLinks.LinksPerClientPerHour + 2).Select(i => UniqueEmail($"client{i}")).ToList();
        await SignatureBuilder.CreateManyAsync(App.Services, emails.Select(e => new SignatureBuilder(petition.Id).WithEmail(e).Confirmed(true)));
        using var browser = App.CreateBrowser();

        foreach (var email in emails)
        {
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(browser, email)).Status);
        }

        await App.WaitForOutboxDrainedAsync();
        Assert.Equal(MyLinks.LinksPerClientPerHour, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "my-signatures-link")));
        Assert.Empty(await MailDev.ListToAsync(emails[^1]));
    }

    private static Task<HtmlPage> AskAsync(TestBrowser browser, string email) => browser.SubmitFormOnAsync("/my", [new("Email", email)]);

    private async Task<HtmlPage> OpenSessionAsync(TestBrowser browser, string email)
    {
        await AskAsync(browser, email);
        var link = new Uri((await MailDev.WaitForEmailAsync(email)).SingleLink("/my/open/")).PathAndQuery;
        var ask = await browser.GetAsync(link);
        var opened = await browser.SubmitAsync(ask.Form("main form[method=post]"), []);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        var list = await browser.GetAsync("/my/signatures");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        return list;
    }

    private async Task<List<string[]>> RawSignaturesAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT full_name, email, normalized_email, postcode_or_city, coalesce(reason, ''), coalesce(ip_address, '') FROM signatures", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)]);
        }

        return rows;
    }
}
