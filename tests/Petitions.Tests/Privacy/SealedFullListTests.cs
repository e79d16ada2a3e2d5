using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Admin;
using Petitions.Web.Localization;
using UglyToad.PdfPig;

namespace Petitions.Tests.Privacy;

/// <summary>
/// A protected petition delivered as initials only: the recipient asks for the sealed full list, the organizer is
/// emailed and releases it (owner only, audited, once), and from then on the recipient's CSV and PDF hold the names,
/// still without withdrawn or erased signers.
/// </summary>
public sealed class SealedFullListTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private ProtectedFields Fields => App.Services.GetRequiredService<ProtectedFields>();

    private static readonly DateTimeOffset SignedFrom = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-6);

    [Fact]
    public async Task Recipient_AsksForTheFullList_OrganizerIsEmailedAndReleasesIt_ThenTheListsHoldTheNames()
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle("Free the teachers").Protected(deliverInitialsOnly: true)
            .AddressedTo("Cllr Jane Porter", "Chair, Rights Committee").CreateOwnedAsync(App, organizer.User);
        string[] names = ["Ali Rezaei", "Nasrin Karimi", "Sara Ahmadi", "Reza Tehrani", "Mina Sadeghi", "Omid Jafari"];
        var ids = new List<long>();
        for (var i = 0; i < names.Length; i++)
        {
            var signature = await new SignatureBuilder(petition.Id).Named(names[i]).From("IR", $"Tabriz {i}").WithReason($"Reason {i}")
                .CreatedAt(SignedFrom.AddMinutes(i)).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
            ids.Add(signature.Id);
        }

        var jane = UniqueEmail("jane");
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.DeliverAsync(petition.Slug, "Here are the signatures.", (0, jane))).Status);
        var link = new Uri((await MailDev.WaitForEmailAsync(jane)).Links().First(l => l.Contains("/d/", StringComparison.Ordinal))).AbsolutePath;
        using var recipient = App.CreateBrowser();

        // Sealed: initials and country only, and the page offers to ask for the full list.
        var sealedList = await CsvAsync(recipient, link + "/signatures.csv");
        Assert.Equal(Header + string.Concat(names.Select((n, i) => $"{ProtectedFields.Initials(n)},,Iran,{Confirmed(i)},\r\n")), sealedList);
        var page = await recipient.GetAsync(link);
        Assert.Contains("initials, country and date only", page.Text("main"), StringComparison.Ordinal);
        var ask = page.Form(".full-list form");

        var asked = await recipient.SubmitAsync(ask, []);
        var again = await recipient.SubmitAsync(ask, []);

        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        var afterAsking = await recipient.GetAsync(asked.Location!.OriginalString);
        Assert.Contains("You asked for the full list on", afterAsking.Text(".full-list-requested"), StringComparison.Ordinal);
        Assert.Empty(afterAsking.All(".full-list form"));
        var request = await MailDev.WaitForEmailAsync(organizer.User.Email!, m => m.Subject == "Cllr Jane Porter asks for the full list: Free the teachers");
        Assert.Contains("Cllr Jane Porter, Chair, Rights Committee asks for the full list of signatures of your petition", request.Text, StringComparison.Ordinal);
        Assert.Contains($"/dashboard/p/{petition.Slug}/deliveries#delivery-", request.Text, StringComparison.Ordinal);
        Assert.Equal(1, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "full-list-requested")));
        Assert.Null(await App.WithDbAsync(db => db.Deliveries.Select(d => d.FullListReleasedAt).SingleAsync()));
        Assert.Equal(sealedList, await CsvAsync(recipient, link + "/signatures.csv"));

        // Meanwhile one signer withdraws and another erases everything.
        await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == ids[1])
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SignatureState.Withdrawn).SetProperty(x => x.WithdrawnAt, DateTimeOffset.UtcNow)));
        await ExecuteAsync("UPDATE signatures s SET state = 'Withdrawn', withdrawn_at = now() WHERE s.id = $1", ids[4]);
        await ExecuteAsync(RetentionSql.AnonymizeWhere("s.id = $1", "now()"), ids[4]);

        // The organizer sees the request and releases the full list; releasing again changes nothing.
        var deliveries = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries");
        Assert.Contains("Cllr Jane Porter, Chair, Rights Committee asked for the full list on", Isolated(deliveries.Text(".full-list-requests")), StringComparison.Ordinal);
        var release = deliveries.Form("form[action$='/release-full-list']");
        var released = await organizer.Browser.SubmitAsync(release, []);
        var releasedAt = await App.WithDbAsync(db => db.Deliveries.Select(d => d.FullListReleasedAt).SingleAsync());
        var second = await organizer.Browser.SubmitAsync(release, []);

        Assert.Equal(HttpStatusCode.Redirect, released.Status);
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        Assert.NotNull(releasedAt);
        Assert.Equal(releasedAt, await App.WithDbAsync(db => db.Deliveries.Select(d => d.FullListReleasedAt).SingleAsync()));
        var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services), a => a.Action == AuditAction.ReleaseFullList);
        var deliveryId = await App.WithDbAsync(db => db.Deliveries.Select(d => d.Id).SingleAsync());
        Assert.Equal((organizer.User.Id, AuditTarget.Delivery, deliveryId.ToString(CultureInfo.InvariantCulture), petition.Id),
            (audit.ActorId, audit.TargetKind, audit.TargetId, audit.PetitionId));
        Assert.Contains("You released the full list on", (await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries")).Text(".full-list-state"),
            StringComparison.Ordinal);

        // The recipient's lists now hold the names, without the withdrawn and the erased signer.
        var full = await CsvAsync(recipient, link + "/signatures.csv");
        Assert.Equal(Header + string.Concat(Kept.Select(i => $"{names[i]},Tabriz {i},Iran,{Confirmed(i)},Reason {i}\r\n")), full);
        Assert.Contains("The organizer released the full list on", (await recipient.GetAsync(link)).Text(".full-list-released"), StringComparison.Ordinal);
        using var pdfResponse = await recipient.Client.GetAsync(new Uri(link + "/signatures.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        using var pdf = PdfDocument.Open(await pdfResponse.Content.ReadAsByteArrayAsync());
        var words = string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Rezaei", words, StringComparison.Ordinal);
        Assert.Contains("Jafari", words, StringComparison.Ordinal);
        Assert.DoesNotContain("Karimi", words, StringComparison.Ordinal);
        Assert.DoesNotContain("Sadeghi", words, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The full list is now on your page: Free the nurses", "To open your page, use the link in the delivery email you received on {0}; it works until {1}.")]
    [InlineData("/fa", "فهرست کامل اکنون در صفحهٔ شماست: Free the nurses", "برای باز کردن صفحهٔ خود، از پیوند ایمیل تحویلی استفاده کنید که در {0} دریافت کردید؛ این پیوند تا {1} کار می‌کند.")]
    public async Task Release_EmailsTheRecipientsOnce_InTheDeliverysLanguage_WithoutTheirLink(string prefix, string subject, string openLink)
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle("Free the nurses").StartedBy("Nurses United").Protected(deliverInitialsOnly: true)
            .AddressedTo("Cllr Jane Porter").AddressedTo("Cllr Omar Khan").CreateOwnedAsync(App, organizer.User);
        for (var i = 0; i < 5; i++)
        {
            await new SignatureBuilder(petition.Id).Named($"Ali Rezaei {i}").From("IR", "Tabriz").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        }

        var (jane, omar) = (UniqueEmail("jane"), UniqueEmail("omar"));
        var preview = await organizer.Browser.PreviewDeliveryInAsync(prefix, petition.Slug, "Here are the signatures.", (0, jane), (1, omar));
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.ConfirmDeliveryAsync(preview)).Status);
        var link = new Uri((await MailDev.WaitForEmailAsync(jane)).SingleLink(prefix + "/d/")).AbsolutePath;
        await MailDev.WaitForEmailAsync(omar);
        using var recipient = App.CreateBrowser();
        Assert.DoesNotContain("Ali Rezaei", await CsvAsync(recipient, link + "/signatures.csv"), StringComparison.Ordinal);

        // Omar's link was revoked: no page of his would open, so he is not told.
        await App.WithDbAsync(db => db.DeliveryRecipients.Where(r => r.Email == omar)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow)));
        var release = (await organizer.Browser.GetAsync($"{prefix}/dashboard/p/{petition.Slug}/deliveries")).Form("form[action$='/release-full-list']");
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.SubmitAsync(release, [])).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.SubmitAsync(release, [])).Status);

        var email = await MailDev.WaitForEmailAsync(jane, m => m.Subject == subject);
        await App.WaitForOutboxDrainedAsync();
        Assert.Equal(1, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "full-list-released")));
        Assert.Equal(2, (await MailDev.ListToAsync(jane)).Count);
        Assert.Single(await MailDev.ListToAsync(omar));

        // The token is stored only as a hash, so the email points to the delivery email instead of repeating the link.
        var delivery = await App.WithDbAsync(db => db.Deliveries.Include(d => d.Recipients).SingleAsync(d => d.PetitionId == petition.Id));
        var language = App.Services.GetRequiredService<SiteLanguages>().Find(prefix.Length == 0 ? "en" : prefix[1..])!;
        var expected = InLanguage.Run(language, () => string.Format(CultureInfo.InvariantCulture, openLink,
            Texts.Date(delivery.DeliveredAt.ToUniversalTime()), Texts.Date(delivery.Recipients.Single(r => r.Email == jane).AccessExpiresAt!.Value.ToUniversalTime())));
        Assert.Contains(expected, Isolated(email.Text!), StringComparison.Ordinal);
        Assert.Contains(expected, Isolated(WebUtility.HtmlDecode(email.Html!)), StringComparison.Ordinal);
        Assert.Contains(prefix.Length == 0 ? "dir=\"ltr\"" : "dir=\"rtl\"", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(email.Links(), l => l.Contains("/d/", StringComparison.Ordinal));
        Assert.Contains(email.Links(), l => new Uri(l).AbsolutePath.StartsWith(prefix + "/email/stop/", StringComparison.Ordinal));
        Assert.Equal($"<{email.Links().First(l => l.Contains("/email/stop/", StringComparison.Ordinal))}>", email.Headers["list-unsubscribe"]);

        // The link from the delivery email opens the page, whose CSV now holds the names.
        Assert.Equal(HttpStatusCode.OK, (await recipient.GetAsync(link)).Status);
        Assert.Contains("Ali Rezaei 0,Tabriz,", await CsvAsync(recipient, link + "/signatures.csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheOwnerReleases_OtherOrganizersGet404_AnAdminGets403_AndWrongLinksAreRefused()
    {
        var owner = await App.SignInNewUserAsync("Olive Owner");
        var petition = await new PetitionBuilder().Protected(deliverInitialsOnly: true).CreateOwnedAsync(App, owner.User);
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").From("IR", "Tabriz").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        var plain = await new PetitionBuilder().CreateOwnedAsync(App, owner.User);
        var plainDelivery = await App.DeliverDirectlyAsync(plain, DateTimeOffset.UtcNow, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        var releasePath = $"/dashboard/p/{petition.Slug}/deliveries/{delivered.Delivery.Id}/release-full-list";

        var other = await App.SignInNewUserAsync("Otto Other");
        var byOther = await other.Browser.PostAsync(releasePath, [new(TestBrowser.AntiforgeryField, await other.Browser.SignedInAntiforgeryTokenAsync())]);
        var admin = await App.SignInNewUserAsync(admin: true);
        var byAdmin = await admin.Browser.PostAsync(releasePath, [new(TestBrowser.AntiforgeryField, await admin.Browser.SignedInAntiforgeryTokenAsync())]);
        using var stranger = App.CreateVisitor();
        var byStranger = await stranger.PostAsync(releasePath, [new(TestBrowser.AntiforgeryField, await stranger.AntiforgeryTokenAsync())]);
        var ownerToken = await owner.Browser.SignedInAntiforgeryTokenAsync();
        var plainRelease = await owner.Browser.PostAsync($"/dashboard/p/{plain.Slug}/deliveries/{plainDelivery.Delivery.Id}/release-full-list", [new(TestBrowser.AntiforgeryField, ownerToken)]);
        var crossed = await owner.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliveries/{plainDelivery.Delivery.Id}/release-full-list", [new(TestBrowser.AntiforgeryField, ownerToken)]);
        var withoutToken = await owner.Browser.PostAsync(releasePath, []);

        Assert.Equal(HttpStatusCode.NotFound, byOther.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.Status);
        Assert.Equal(HttpStatusCode.Redirect, byStranger.Status);
        Assert.StartsWith("/account/login", byStranger.PathAndQuery(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, plainRelease.Status);
        Assert.Equal(HttpStatusCode.NotFound, crossed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.Status);
        var adminPage = await admin.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries");
        Assert.Equal(HttpStatusCode.OK, adminPage.Status);
        Assert.NotNull(adminPage.Find(".full-list"));
        Assert.Empty(adminPage.All("form[action$='/release-full-list']"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Deliveries.CountAsync(d => d.FullListReleasedAt != null)));
        Assert.DoesNotContain(await ModerationArrange.AuditAsync(App.Services), a => a.Action == AuditAction.ReleaseFullList);
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "full-list-released")));

        // The recipient's side: an unknown or malformed link asks for nothing, nor does a list that was never sealed.
        using var recipient = App.CreateBrowser();
        var token = await recipient.AntiforgeryTokenAsync();
        var unknown = await recipient.PostAsync($"/d/{RecipientTokens.Create().Token}/full-list", [new(TestBrowser.AntiforgeryField, token)]);
        var malformed = await recipient.PostAsync("/d/not-a-token/full-list", [new(TestBrowser.AntiforgeryField, token)]);
        var notSealed = await recipient.PostAsync(plainDelivery.Link + "/full-list", [new(TestBrowser.AntiforgeryField, token)]);
        var forged = await recipient.PostAsync(delivered.Link + "/full-list", []);

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal(HttpStatusCode.Redirect, notSealed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.DeliveryRecipients.CountAsync(r => r.FullListRequestedAt != null)));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "full-list-requested")));
        Assert.Equal(Header + "A. R.,,Iran," + (await ConfirmedAtAsync(petition.Id)) + ",\r\n", await CsvAsync(recipient, delivered.Link + "/signatures.csv"));
    }

    // The signers still in the list once the second has withdrawn and the fifth has erased everything.
    private static readonly int[] Kept = [0, 2, 3, 5];

    private const string Header = "Name,Postcode or city,Country,Signed at,Reason\r\n";

    private static string Confirmed(int i) => SignedFrom.AddMinutes(i + 1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private Task<string> ConfirmedAtAsync(long petitionId) => App.WithDbAsync(async db =>
        (await db.Signatures.Where(s => s.PetitionId == petitionId).Select(s => s.ConfirmedAt!.Value).SingleAsync())
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    // Names inside sentences are wrapped in Unicode isolates (U+2068 … U+2069) for right-to-left pages.
    private static string Isolated(string text) => text.Replace("\u2068", "", StringComparison.Ordinal).Replace("\u2069", "", StringComparison.Ordinal);

    private static async Task<string> CsvAsync(TestBrowser browser, string path)
    {
        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    private async Task ExecuteAsync(string sql, long id)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
