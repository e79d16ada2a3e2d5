using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;
using UglyToad.PdfPig;

namespace Petitions.Tests.Deliveries;

public sealed class RecipientLinkTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Csv_ListsEveryConfirmedSignatureByTheDeliveryExactly()
    {
        var petition = await new PetitionBuilder().WithSlug("towpath-lights").CreateOwnedAsync(App, null);
        var other = await new PetitionBuilder().CreateOwnedAsync(App, null);
        await App.AddSignatureAsync(petition.Id, s => s.Named("Ada Lovelace").From("GB", "CB2 1TN").WithReason("Safer walks home.").CreatedAt(DeliveredAt.AddDays(-3)).Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Grace Hopper").From("US", "Arlington, VA").WithReason("Line one\nline \"two\"").Private().CreatedAt(DeliveredAt.AddDays(-2)).Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("=HYPERLINK(\"http://evil.test\")").From("FR", "+33 Paris").WithReason("@risk").CreatedAt(DeliveredAt.AddDays(-1)).Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Never Confirmed").CreatedAt(DeliveredAt.AddDays(-1)).Pending());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Signed Afterwards").CreatedAt(DeliveredAt.AddHours(1)).Confirmed());
        await App.AddSignatureAsync(other.Id, s => s.Named("Other Petition").CreatedAt(DeliveredAt.AddDays(-1)).Confirmed());
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment; filename=\"towpath-lights-signatures.csv\"", response.Content.Headers.ContentDisposition!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        // Confirmed one minute after signing (SignatureBuilder); private signers are included; no emails, ever.
        Assert.Equal(
            "Name,Postcode or city,Country,Signed at,Reason\r\n" +
            "Ada Lovelace,CB2 1TN,United Kingdom,2026-03-11T12:01:00Z,Safer walks home.\r\n" +
            "Grace Hopper,\"Arlington, VA\",United States,2026-03-12T12:01:00Z,\"Line one\nline \"\"two\"\"\"\r\n" +
            "\"'=HYPERLINK(\"\"http://evil.test\"\")\",\"'+33 Paris\",France,2026-03-13T12:01:00Z,\"'@risk\"\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task Pdf_NumbersEveryRowWithTheNamesOnTheFirstAndLastPages()
    {
        const int count = 150;
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").WithBody("## The ask\n\nPlease light the towpath.")
            .AddressedTo("Cllr Jane Porter", "Chair").CreateOwnedAsync(App, null);
        await App.AddConfirmedSignaturesAsync(petition.Id, count, DeliveredAt.AddMinutes(-1), reason: "Because the towpath is dark and the winter is long, and we walk home that way.");
        await App.AddSignatureAsync(petition.Id, s => s.Named("Too Late").CreatedAt(DeliveredAt.AddDays(1)).Confirmed());
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var pages = pdf.GetPages().Select(p => (Number: p.Number, Words: p.GetWords().ToList())).ToList();
        Assert.True(pages.Count >= 3, $"Expected a cover and at least two pages of signatures, got {pages.Count} pages.");

        var cover = Text(pages[0].Words);
        Assert.Contains("Light the towpath", cover, StringComparison.Ordinal);
        Assert.Contains("150 confirmed signatures", cover, StringComparison.Ordinal);
        Assert.Contains("Please light the towpath.", cover, StringComparison.Ordinal);
        Assert.Contains("Delivered to Cllr Jane Porter, Chair, Transport Committee on 14 March 2026", cover, StringComparison.Ordinal);

        var table = pages.Where(p => Text(p.Words).Contains("Postcode or city", StringComparison.Ordinal)).ToList();
        Assert.True(table.Count >= 2, "The signatures should run over several pages.");
        var numbers = new List<int>();
        foreach (var (number, words) in table)
        {
            var text = Text(words);
            Assert.Contains("# Name Postcode or city Country Signed Reason", text, StringComparison.Ordinal);
            Assert.Contains($"Page {number} of {pages.Count}", text, StringComparison.Ordinal);
            // The row numbers: whole numbers in the left-hand column.
            numbers.AddRange(words.Where(w => w.BoundingBox.Right < 80 && int.TryParse(w.Text, out _)).OrderByDescending(w => w.BoundingBox.Top).Select(w => int.Parse(w.Text, System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(Enumerable.Range(1, count), numbers);
        Assert.Contains("Signer 1 ", Text(table[0].Words) + " ", StringComparison.Ordinal);
        Assert.Contains($"Signer {count} ", Text(table[^1].Words) + " ", StringComparison.Ordinal);
        Assert.DoesNotContain("Too Late", string.Join(' ', pages.Select(p => Text(p.Words))), StringComparison.Ordinal);
        Assert.DoesNotContain("@bulk.example.test", string.Join(' ', pages.Select(p => Text(p.Words))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_AreLoggedAndTheFirstIsKept()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        await App.AddSignatureAsync(petition.Id, s => s.CreatedAt(DeliveredAt.AddDays(-1)).Confirmed());
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using (var csv = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.csv", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        }

        var first = await App.WithDbAsync(db => db.DeliveryRecipients.Where(r => r.Id == delivered.Recipient.Id).Select(r => r.FirstDownloadedAt).SingleAsync());
        using (var pdf = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        }

        Assert.NotNull(first);
        Assert.Equal(first, await App.WithDbAsync(db => db.DeliveryRecipients.Where(r => r.Id == delivered.Recipient.Id).Select(r => r.FirstDownloadedAt).SingleAsync()));
        var logs = await App.WithDbAsync(db => db.DownloadLogs.Where(l => l.DeliveryRecipientId == delivered.Recipient.Id).OrderBy(l => l.Id).Select(l => l.Format).ToListAsync());
        Assert.Equal(["csv", "pdf"], logs);
        var log = App.Logs.RenderAll();
        Assert.DoesNotContain(delivered.Token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(delivered.Recipient.Email!, log, StringComparison.Ordinal);
        Assert.Contains("d/{token}/signatures.csv", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/signatures.csv")]
    [InlineData("/signatures.pdf")]
    [InlineData("/respond")]
    public async Task ExpiredLink_IsRefusedWithAClearPage(string path)
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        using var recipient = App.CreateBrowser();

        var page = await recipient.GetAsync(delivered.Link + path);

        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Equal("This link has expired", page.Text("h1"));
        Assert.Equal("Light the towpath", page.Text("main a[href^='/p/']"));
        Assert.Empty(await App.WithDbAsync(db => db.DownloadLogs.ToListAsync()));
    }

    [Fact]
    public async Task RevokedLink_IsRefusedOnceTheOrganizerWithdrawsIt()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, organizer.User);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await recipient.GetAsync(delivered.Link)).Status);

        var deliveries = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries");
        var revoked = await organizer.Browser.SubmitAsync(deliveries.Form($"#recipient-{delivered.Recipient.Id} form"), []);

        Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
        Assert.NotNull(await App.WithDbAsync(db => db.DeliveryRecipients.Where(r => r.Id == delivered.Recipient.Id).Select(r => r.RevokedAt).SingleAsync()));
        foreach (var path in new[] { "", "/signatures.csv", "/signatures.pdf", "/respond" })
        {
            var page = await recipient.GetAsync(delivered.Link + path);
            Assert.Equal(HttpStatusCode.Gone, page.Status);
            Assert.Equal("This link has been withdrawn", page.Text("h1"));
        }

        var after = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries");
        Assert.StartsWith("Withdrawn on ", after.Text($"#recipient-{delivered.Recipient.Id} .link-state"), StringComparison.Ordinal);
        Assert.Null(after.Find($"#recipient-{delivered.Recipient.Id} form"));
    }

    [Theory]
    [InlineData("/d/AAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound)]
    [InlineData("/d/AAAAAAAAAAAAAAAAAAAAAA/signatures.pdf", HttpStatusCode.NotFound)]
    [InlineData("/d/short", HttpStatusCode.BadRequest)]
    [InlineData("/d/AAAAAAAAAAAAAAAAAAAA%21%21/signatures.csv", HttpStatusCode.BadRequest)]
    [InlineData("/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/respond", HttpStatusCode.BadRequest)]
    public async Task UnknownOrMalformedLink_IsRefusedWithAClearPage(string url, HttpStatusCode status)
    {
        using var visitor = App.CreateBrowser();

        var page = await visitor.GetAsync(url);

        Assert.Equal(status, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
    }

    [Fact]
    public async Task TamperedLink_IsNotFound()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        var tampered = (delivered.Token[0] == 'A' ? "B" : "A") + delivered.Token[1..];
        using var visitor = App.CreateBrowser();

        var page = await visitor.GetAsync($"/d/{tampered}/signatures.csv");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
    }

    [Fact]
    public async Task Respond_PublishesTheResponseOnThePetitionAndTellsOrganizerAndSupporters()
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateOwnedAsync(App, organizer.User);
        var supporter = DeliveryTestKit.UniqueEmail("supporter");
        var quiet = DeliveryTestKit.UniqueEmail("quiet");
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(supporter).CreatedAt(DeliveredAt.AddDays(-1)).Confirmed(), emailUpdates: true);
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(quiet).CreatedAt(DeliveredAt.AddDays(-1)).Confirmed());
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, "Cllr Jane Porter", "Chair, Transport Committee", DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        var form = await recipient.GetAsync(delivered.Link + "/respond");

        var result = await recipient.SubmitAsync(form.Form("form[method=post]"),
        [
            new("Form.AcceptsDemand", "yes"),
            new("Form.Text", "We will light the towpath by March.\n\nThank you all."),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var thanks = await recipient.GetAsync(result.Location!.OriginalString);
        Assert.Equal("Your response is published", thanks.Text("[role=status] h2"));

        var response = Assert.Single(await LoadPageAsync(petition.Slug));
        Assert.Equal(new PublicResponse("Cllr Jane Porter", "Chair, Transport Committee", "We will light the towpath by March.\n\nThank you all.", true, response.PublishedAt),
            response with { Text = response.Text.ReplaceLineEndings("\n") });

        var toOrganizer = await MailDev.WaitForEmailAsync(organizer.User.Email!, m => m.Subject == "Cllr Jane Porter responded: Light the towpath");
        Assert.Contains("They accept the petition's demand.", toOrganizer.Text, StringComparison.Ordinal);
        Assert.Contains("We will light the towpath by March.", toOrganizer.Text, StringComparison.Ordinal);
        var notice = await MailDev.WaitForEmailAsync(supporter, m => m.Subject == "Response: Light the towpath");
        Assert.Contains("Cllr Jane Porter responded to the petition you signed", notice.Text, StringComparison.Ordinal);
        Assert.Contains("We will light the towpath by March.", notice.Text, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => App.WithDbAsync(db => db.NotificationJobs.AnyAsync(j => j.Kind == "petition-response" && j.CompletedAt != null)),
            "the response notice job has finished");
        Assert.Equal([supporter], await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.Kind == "petition-response").Select(m => m.ToAddress).ToListAsync()));

        var page = await recipient.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Cllr Jane Porter", page.Text("section.responses"), StringComparison.Ordinal);
        Assert.Contains("We will light the towpath by March.", page.Text("section.responses"), StringComparison.Ordinal);
        Assert.Contains("Cllr Jane Porter", page.Text("section.delivered-to"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Respond_CachedPetitionPage_ShowsTheResponseAtOnce()
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateOwnedAsync(App, organizer.User);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, "Cllr Jane Porter", "Chair, Transport Committee", DateTimeOffset.UtcNow.AddDays(1));
        using var visitor = App.CreateBrowser();
        using var recipient = App.CreateBrowser();
        var before = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Null(before.Find("section.responses"));
        var form = await recipient.GetAsync(delivered.Link + "/respond");

        var result = await recipient.SubmitAsync(form.Form("form[method=post]"),
        [
            new("Form.AcceptsDemand", "yes"),
            new("Form.Text", "We will light the towpath by March."),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        // The page was cached a moment ago; publishing a response must not wait for that copy to expire.
        var after = await visitor.GetAsync($"/p/{petition.Slug}");
        Assert.Contains("We will light the towpath by March.", after.Text("section.responses"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Respond_Again_UpdatesTheOneResponseWithoutNotifyingSupportersTwice()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateOwnedAsync(App, null);
        await App.AddSignatureAsync(petition.Id, s => s.CreatedAt(DeliveredAt.AddDays(-1)).Confirmed(), emailUpdates: true);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        var first = await recipient.GetAsync(delivered.Link + "/respond");
        await recipient.SubmitAsync(first.Form("form[method=post]"), [new("Form.AcceptsDemand", "no"), new("Form.Text", "Not this year.")]);

        var again = await recipient.GetAsync(delivered.Link + "/respond");
        Assert.Equal("Not this year.", again.One("#Form_Text").TextContent.Trim());
        Assert.NotNull(again.One("#Form_AcceptsDemand_no").GetAttribute("checked"));
        var result = await recipient.SubmitAsync(again.Form("form[method=post]"), [new("Form.AcceptsDemand", "yes"), new("Form.Text", "We found the money after all.")]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var response = await App.WithDbAsync(db => db.RecipientResponses.SingleAsync());
        Assert.Equal(("We found the money after all.", true), (response.Text, response.AcceptsDemand));
        Assert.Equal(1, await App.WithDbAsync(db => db.NotificationJobs.CountAsync(j => j.Kind == "petition-response")));
    }

    [Fact]
    public async Task Respond_Invalid_ShowsErrorsAndSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        var form = await recipient.GetAsync(delivered.Link + "/respond");

        var page = await recipient.SubmitAsync(form.Form("form[method=post]"), [new("Form.Text", new string('x', 5_001))]);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Equal(
            ["Select whether you accept the petition's demand", "Your response must be 5,000 characters or fewer"],
            page.All(".error-summary li a").Select(a => a.TextContent.Trim()).ToList());
        Assert.Equal("#Form_AcceptsDemand", page.All(".error-summary li a")[0].GetAttribute("href"));
        Assert.NotNull(page.Find("#Form_AcceptsDemand"));
        Assert.Equal(5_001, page.One("#Form_Text").TextContent.Trim().Length);
        Assert.Equal(0, await App.WithDbAsync(db => db.RecipientResponses.CountAsync()));
    }

    private async Task<IReadOnlyList<PublicResponse>> LoadPageAsync(string slug)
    {
        await using var scope = App.CreateScope();
        var page = await scope.ServiceProvider.GetRequiredService<PetitionPageQuery>().LoadAsync(slug, CancellationToken.None);
        return page!.Responses;
    }

    private static string Text(IEnumerable<UglyToad.PdfPig.Content.Word> words) => string.Join(' ', words.Select(w => w.Text));
}
