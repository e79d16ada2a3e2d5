using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Dashboard;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Privacy;

/// <summary>
/// Protected mode: signing stores no IP and no plaintext (the raw rows are read), deduplication and confirmation still
/// work, and every reader that should see the names (organizer, recipient, the signer's /my, moderators by exact
/// email) sees them in the clear, while the public page shows none.
/// </summary>
public sealed class ProtectedModeTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private ProtectedFields Fields => App.Services.GetRequiredService<ProtectedFields>();

    [Fact]
    public async Task Sign_StoresNoPlaintextAndNoIp_DeduplicatesAcrossCase_AndTheConfirmLinkWorks()
    {
        var petition = await new PetitionBuilder().WithTitle("Free the teachers").Protected().CreateAsync(App.Services);
        var id = Guid.NewGuid().ToString("N");
        var typed = $"Ali.Rezaei-{id}@Example.TEST";
        using var browser = App.Server.CreateVisitor(IPAddress.Parse("198.51.100.23"));

        var first = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Ali Rezaei").WithEmail(typed).WithCountry("IR")
            .WithPostcodeOrCity("Tabriz").WithReason("For my sister Leila."));
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        var mail = await MailDev.WaitForEmailAsync(typed);
        Assert.Contains("Ali Rezaei", mail.Text, StringComparison.Ordinal);
        var confirmed = await browser.GetAsync(new Uri(mail.SingleLink("/s/confirm/")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));

        var again = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Ali Rezaei").WithEmail(typed.ToLowerInvariant()).WithCountry("IR")
            .WithPostcodeOrCity("Tabriz").WithReason("For my sister Leila."));

        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
        await App.WaitForOutboxDrainedAsync();

        var signatureRow = await RawAsync("SELECT row_to_json(s)::text, s.ip_address IS NULL FROM signatures s");
        var outboxRows = await RawAsync("SELECT row_to_json(o)::text, o.sent_at IS NOT NULL FROM outbox_messages o");
        Assert.Single(signatureRow);
        Assert.True(signatureRow[0].Flag, "no IP address is stored");
        Assert.NotEmpty(outboxRows);
        Assert.All(outboxRows, o => Assert.True(o.Flag, "every message was sent"));
        foreach (var text in signatureRow.Concat(outboxRows).Select(r => r.Json))
        {
            // Long enough that base64 ciphertext cannot hold them by chance.
            foreach (var secret in new[] { "Rezaei", id, "Tabriz", "Leila", "198.51.100" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        var stored = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(Fields.EmailKey($"ali.rezaei-{id}@example.test"), stored.NormalizedEmail);
        var open = Fields.Open(true, petition.Id, stored.NormalizedEmail, stored.FullName, stored.Email, stored.PostcodeOrCity, stored.Reason);
        Assert.Equal(("Ali Rezaei", "Tabriz", "For my sister Leila."), (open.FullName, open.PostcodeOrCity, open.Reason));
        Assert.Equal(typed, open.Email, ignoreCase: true);
    }

    [Fact]
    public async Task Sign_QueuedEmailHoldsItsModelUntilSent_ThenTheModelGoesWithTheRecipient()
    {
        var petition = await new PetitionBuilder().WithTitle("Free the teachers").Protected().CreateAsync(App.Services);
        var id = Guid.NewGuid().ToString("N");
        var typed = $"Narges.Mohammadi-{id}@example.test";
        var paused = await App.PauseOutboxWorkerAsync();
        List<(string Json, bool Flag)> queued;
        try
        {
            using var browser = App.CreateBrowser();
            var signed = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Narges Mohammadi").WithEmail(typed).WithPostcodeOrCity("Zanjan"));
            Assert.Equal(HttpStatusCode.Redirect, signed.Status);
            queued = await RawAsync("SELECT model_json::text, forget_recipient AND html_body IS NULL AND text_body IS NULL FROM outbox_messages");
        }
        finally
        {
            await paused.DisposeAsync();
        }

        // Until it is sent, the row needs what the email will say, as a body would.
        var model = Assert.Single(queued);
        Assert.True(model.Flag, "the row forgets its recipient once sent, and has no bodies");
        Assert.Contains("Narges Mohammadi", model.Json, StringComparison.Ordinal);
        Assert.Contains("Zanjan", model.Json, StringComparison.Ordinal);

        var mail = await MailDev.WaitForEmailAsync(typed);
        Assert.Contains("Narges Mohammadi", mail.Text, StringComparison.Ordinal);
        await App.WaitForOutboxDrainedAsync();
        var sent = Assert.Single(await RawAsync("SELECT row_to_json(o)::text, o.model_json IS NULL AND o.to_address = '' AND o.to_name IS NULL FROM outbox_messages o"));
        Assert.True(sent.Flag, "the model, address and name are gone once sent");
        foreach (var secret in new[] { "Narges", "Mohammadi", id, "Zanjan", "/s/confirm/", "/s/withdraw/" })
        {
            Assert.DoesNotContain(secret, sent.Json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Sign_PostcodeOrCityIsOptional_AndTheFormSaysWhatIsStored()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");
        var response = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Sara Ahmadi").WithEmail(UniqueEmail("sara")).WithCountry("IR").WithPostcodeOrCity(""));

        Assert.Contains("We do not store your IP address", page.Text("form#sign .protected-note"), StringComparison.Ordinal);
        Assert.Equal("Postcode or city (optional)", page.Text("label[for=Form_PostcodeOrCity]"));
        Assert.Empty(page.All("#Form_ShowPublicly"));
        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task PublicPageAndJson_ShowNoNames_ButTheCountByCountry()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").From("IR", "Tabriz").WithReason("For my sister Leila.").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Nasrin Karimi").From("IR", "Shiraz").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Jean Dupont").From("FR", "Lyon").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await App.WithDbAsync(db => db.Signatures.ExecuteUpdateAsync(s => s.SetProperty(x => x.ShowPublicly, true)));
        using var browser = App.CreateBrowser();

        await browser.WaitForShownCountAsync(petition.Slug, 3);
        var page = await browser.GetAsync($"/p/{petition.Slug}");
        using var json = await browser.Client.GetAsync(new Uri($"/p/{petition.Slug}.json", UriKind.Relative));
        var jsonText = await json.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var rows = page.All(".protected-counts tbody tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("Iran", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("2", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("France", rows[1], StringComparison.Ordinal);
        Assert.Empty(page.All(".supporter"));
        foreach (var text in new[] { page.Text("main"), jsonText })
        {
            foreach (var secret in new[] { "Rezaei", "Karimi", "Dupont", "Leila", "Tabriz" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task OrganizerExportAndRecipientList_ShowTheRealNames()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().Protected());
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").WithEmail("ali@example.test").From("IR", "Tabriz").WithReason("For my sister Leila.")
            .CreatedAt(DeliveredAt.AddDays(-1)).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await App.WithDbAsync(db => db.Signatures.ExecuteUpdateAsync(s => s.SetProperty(x => x.ShareEmailWithOrganizer, true)));
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var organizer = await App.LoggedInVisitorAsync(owner);
        using var recipient = App.CreateBrowser();

        var export = await CsvAsync(organizer, $"/dashboard/p/{petition.Slug}/export.csv");
        var list = await CsvAsync(recipient, delivered.Link + "/signatures.csv");
        using var pdf = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative));

        Assert.Equal(
            "Name,Postcode or city,Country,Country code,Signed at,Reason,Email\r\n" +
            "Ali Rezaei,Tabriz,Iran,IR,2026-03-13T12:01:00Z,For my sister Leila.,ali@example.test\r\n", export);
        Assert.Equal("Name,Postcode or city,Country,Signed at,Reason\r\nAli Rezaei,Tabriz,Iran,2026-03-13T12:01:00Z,For my sister Leila.\r\n", list);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task InitialsOnlyDelivery_ListsInitialsAndCountry_AndNoFullName()
    {
        var petition = await new PetitionBuilder().Protected(deliverInitialsOnly: true).CreateOwnedAsync(App, null);
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").From("IR", "Tabriz").WithReason("For my sister Leila.")
            .CreatedAt(DeliveredAt.AddDays(-1)).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        var list = await CsvAsync(recipient, delivered.Link + "/signatures.csv");

        Assert.Equal("Name,Postcode or city,Country,Signed at,Reason\r\nA. R.,,Iran,2026-03-13T12:01:00Z,\r\n", list);
        Assert.DoesNotContain("Rezaei", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Tabriz", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_FindsTheProtectedSignature_ShowsItInTheClear_AndEraseWorks()
    {
        var petition = await new PetitionBuilder().WithTitle("Free the teachers").Protected().CreateAsync(App.Services);
        var email = UniqueEmail("protected-signer");
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").WithEmail(email.ToUpperInvariant()).From("IR", "Tabriz").WithReason("For my sister Leila.")
            .SealedWith(Fields).Confirmed(true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        await browser.SubmitFormOnAsync("/my", [new("Email", email)]);
        var link = new Uri((await MailDev.WaitForEmailAsync(email)).SingleLink("/my/open/")).PathAndQuery;
        var ask = await browser.GetAsync(link);
        await browser.SubmitAsync(ask.Form("main form[method=post]"), []);
        var list = await browser.GetAsync("/my/signatures");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Single(list.All("section.my-signature"));
        Assert.Contains("Free the teachers", list.Text("main"), StringComparison.Ordinal);
        Assert.Contains("Ali Rezaei", list.Text("main"), StringComparison.Ordinal);
        Assert.Contains("For my sister Leila.", list.Text("main"), StringComparison.Ordinal);

        var erase = await browser.GetAsync("/my/erase");
        var erased = await browser.SubmitAsync(erase.Form("main form[method=post]"), []);

        Assert.Equal("Your signatures were erased", erased.Text("h1"));
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SignatureState.Withdrawn, signature.State);
        Assert.NotNull(signature.AnonymizedAt);
        Assert.Equal("Anonymous", signature.FullName);
        Assert.Equal("", signature.Email);
    }

    [Fact]
    public async Task ModeratorSearch_FindsAProtectedSignatureByExactEmail_NeverByName()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        var email = UniqueEmail("searched");
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").WithEmail(email).From("IR", "Tabriz").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        using var moderator = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator, AdminRoles.Moderator));

        var byEmail = await moderator.GetAsync($"/admin/signatures?email={Uri.EscapeDataString(email.ToUpperInvariant())}");
        var byName = await moderator.GetAsync($"/admin/signatures?name=Rezaei");

        Assert.Equal(HttpStatusCode.OK, byEmail.Status);
        Assert.Equal("1", byEmail.Text("[data-count=matches]"));
        Assert.Contains("Ali Rezaei", byEmail.Text("main"), StringComparison.Ordinal);
        Assert.Equal("0", byName.Text("[data-count=matches]"));
    }

    [Fact]
    public async Task Admin_MakesProtectedTheDefaultForNewPetitions_AndItIsAudited()
    {
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var browser = await App.LoggedInVisitorAsync(admin);
        var before = await browser.GetAsync("/start");
        Assert.Null(before.One("input#Protected").GetAttribute("checked"));

        var home = await browser.GetAsync("/admin");
        var saved = await browser.SubmitAsync(home.Form("form[action='/admin/protect-new-petitions']"), []);
        var after = await browser.GetAsync("/start");

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.True(await App.WithDbAsync(db => db.SiteSettings.AnyAsync(s => s.ProtectNewPetitions)));
        Assert.NotNull(after.One("input#Protected").GetAttribute("checked"));
        var audit = await ModerationArrange.AuditAsync(App.Services);
        Assert.Contains(audit, a => a.Action == AuditAction.ProtectNewPetitions && a.ActorId == admin.Id);
    }

    [Fact]
    public async Task Edit_BeforePublishing_SealsTheStartersSignature_AndOpensItAgainWhenSwitchedOff()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);
        var slug = await browser.StartPetitionAsync(new PetitionFormBuilder());
        var petitionId = await App.WithDbAsync(db => db.Petitions.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync());
        var plain = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == petitionId));
        Assert.Contains("@", plain.NormalizedEmail, StringComparison.Ordinal);

        var on = await browser.SubmitFormOnAsync($"/dashboard/p/{slug}/edit", new PetitionFormBuilder().With("Protected", "true").BuildForEdit());

        Assert.Equal(HttpStatusCode.Redirect, on.Status);
        var sealedRow = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == plain.PetitionId));
        Assert.True(await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == plain.PetitionId).Select(p => p.Protected).SingleAsync()));
        Assert.Equal(plain.Id, sealedRow.Id);
        Assert.DoesNotContain("@", sealedRow.NormalizedEmail, StringComparison.Ordinal);
        Assert.DoesNotContain(plain.FullName, sealedRow.FullName, StringComparison.Ordinal);
        Assert.DoesNotContain(plain.Email, sealedRow.Email, StringComparison.Ordinal);
        Assert.Null(sealedRow.IpAddress);
        Assert.Equal((plain.State, plain.ConfirmedAt, plain.Country), (sealedRow.State, sealedRow.ConfirmedAt, sealedRow.Country));
        var opened = Fields.Open(true, sealedRow.PetitionId, sealedRow.NormalizedEmail, sealedRow.FullName, sealedRow.Email, sealedRow.PostcodeOrCity, sealedRow.Reason);
        Assert.Equal((plain.FullName, plain.Email, plain.PostcodeOrCity), (opened.FullName, opened.Email, opened.PostcodeOrCity));

        // The page now has the box ticked; "false" binds as an unticked box (which posts nothing) does.
        var off = await browser.SubmitFormOnAsync($"/dashboard/p/{slug}/edit", new PetitionFormBuilder().With("Protected", "false").BuildForEdit());

        Assert.Equal(HttpStatusCode.Redirect, off.Status);
        var openRow = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == plain.PetitionId));
        Assert.Equal(
            (plain.Id, plain.NormalizedEmail, plain.FullName, plain.Email, plain.PostcodeOrCity),
            (openRow.Id, openRow.NormalizedEmail, openRow.FullName, openRow.Email, openRow.PostcodeOrCity));
    }

    private static async Task<string> CsvAsync(TestBrowser browser, string path)
    {
        using var response = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    private async Task<List<(string Json, bool Flag)>> RawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return rows;
    }
}
