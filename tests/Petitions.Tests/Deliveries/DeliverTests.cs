using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Deliveries;

public sealed class DeliverTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Cover = "Dear councillors,\n\nHere are the signatures. We ask you to act before winter.";

    [Fact]
    public async Task Deliver_RecordsTimeRecipientsMessageAndConfirmedCount()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().WithSignatureCount(999)
            .AddressedTo("Cllr Jane Porter", "Chair, Transport Committee")
            .AddressedTo("Mayor Sam Lee", "City Council", "mayor@council.example.test")
            .CreateOwnedAsync(App, organizer.User);
        for (var i = 0; i < 5; i++)
        {
            await App.AddSignatureAsync(petition.Id, s => s.Named($"Confirmed {i}").Confirmed());
        }

        await App.AddSignatureAsync(petition.Id, s => s.Named("Still pending").Pending());
        var janeEmail = DeliveryTestKit.UniqueEmail("jane");
        var before = DateTimeOffset.UtcNow;

        var result = await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, janeEmail), (1, "mayor@council.example.test"));

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var delivery = Assert.Single(await App.DeliveriesAsync(petition.Id));
        Assert.Equal($"/dashboard/p/{petition.Slug}/deliveries?delivered={delivery.Id}", result.Location!.OriginalString);
        Assert.Equal(5, delivery.SignatureCount);
        Assert.Equal(Cover, delivery.CoverMessage.ReplaceLineEndings("\n"));
        Assert.InRange(delivery.DeliveredAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(
            [("Cllr Jane Porter", "Chair, Transport Committee", janeEmail), ("Mayor Sam Lee", "City Council", "mayor@council.example.test")],
            delivery.Recipients.OrderBy(r => r.Id).Select(r => (r.Name, r.TitleOrOrganization, r.Email)).ToList());
        Assert.All(delivery.Recipients, r =>
        {
            Assert.Equal(32, r.AccessTokenHash!.Length);
            Assert.Equal(delivery.DeliveredAt.AddDays(30), r.AccessExpiresAt);
            Assert.Null(r.FirstDownloadedAt);
        });

        // The address typed at this step is kept on the decision maker.
        var jane = await App.WithDbAsync(db => db.DecisionMakers.SingleAsync(d => d.PetitionId == petition.Id && d.Name == "Cllr Jane Porter"));
        Assert.Equal(janeEmail, jane.Email);

        var page = await organizer.Browser.GetAsync(result.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("5 signatures are on their way to 2 recipients", page.Text("[role=status]"), StringComparison.Ordinal);
        Assert.Equal(2, page.All(".recipient").Count);
    }

    [Fact]
    public async Task Deliver_AgainLater_IsRecordedSeparatelyWithTheNewerCount()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: DeliveryTestKit.UniqueEmail("jane")).CreateDeliverableAsync(App, organizer.User);
        await organizer.Browser.DeliverAsync(petition.Slug, "First milestone.", (0, DeliveryTestKit.UniqueEmail("jane")));
        await App.AddSignatureAsync(petition.Id, s => s.Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Confirmed());

        var again = await organizer.Browser.DeliverAsync(petition.Slug, "Now closed.", (0, DeliveryTestKit.UniqueEmail("jane")));

        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        var deliveries = await App.DeliveriesAsync(petition.Id);
        Assert.Equal([5, 7], deliveries.Select(d => d.SignatureCount).ToList());
        Assert.Equal(["First milestone.", "Now closed."], deliveries.Select(d => d.CoverMessage).ToList());
        var page = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries");
        Assert.Equal(2, page.All("section[aria-labelledby^=delivery-]").Count);
    }

    [Fact]
    public async Task Preview_ShowsTheRecipientsEmailAndSavesNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);

        var preview = await organizer.Browser.PreviewDeliveryAsync(petition.Slug, "Please light the towpath before winter.", (0, "jane@council.example.test"));

        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Equal("Check the email before delivering", preview.Text("h1"));
        Assert.Contains("Petition: Light the towpath (5 signatures)", preview.Text("dl"), StringComparison.Ordinal);
        var email = preview.Text(".email-preview");
        Assert.Contains("Dear Cllr Jane Porter,", email, StringComparison.Ordinal);
        Assert.Contains("Please light the towpath before winter.", email, StringComparison.Ordinal);
        Assert.Contains("/d/your-personal-link", email, StringComparison.Ordinal);
        Assert.Contains("jane@council.example.test", preview.Text("ul.recipients"), StringComparison.Ordinal);
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Deliver_PickedDecisionMakerWithoutEmail_IsRefusedWithMessageAtTheField()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);

        var page = await organizer.Browser.PreviewDeliveryAsync(petition.Slug, Cover, (0, ""));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        const string message = "Enter an email address for Cllr Jane Porter: the petition is delivered by email";
        Assert.Equal(message, page.One(".error-summary a[href='#Form_Recipients_0__Email']").TextContent.Trim());
        Assert.Equal("Error: " + message, page.Text("#Form_Recipients_0__Email-error"));
        Assert.Equal(Cover, page.One("#Form_CoverMessage").TextContent.ReplaceLineEndings("\n").Trim());
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
    }

    [Fact]
    public async Task Deliver_ConfirmedWithoutAnyAddress_IsRefusedAndSavesNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);
        var token = (await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver")).AntiforgeryToken("form[action$='/deliver/preview']");
        var dmId = await App.WithDbAsync(db => db.DecisionMakers.Where(d => d.PetitionId == petition.Id).Select(d => d.Id).SingleAsync());

        // Straight to the confirm step, as a tampered preview form would post it.
        var page = await organizer.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliver",
        [
            new(TestBrowser.AntiforgeryField, token),
            new("Form.Recipients[0].DecisionMakerId", dmId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Recipients[0].Selected", "true"),
            new("Form.Recipients[0].Email", "  "),
            new("Form.CoverMessage", Cover),
        ]);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Enter an email address for Cllr Jane Porter", page.Text("#Form_Recipients_0__Email-error"), StringComparison.Ordinal);
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Deliver_NobodyPicked_ShowsErrorAndSavesNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: "jane@council.example.test").CreateDeliverableAsync(App, organizer.User);

        var page = await organizer.Browser.PreviewDeliveryAsync(petition.Slug, Cover);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Error: Select at least one decision maker to deliver the petition to", page.Text("#Form_Recipients-error"));
        Assert.NotNull(page.Find(".error-summary a[href='#Form_Recipients']"));
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
    }

    [Fact]
    public async Task Deliver_DraftPetition_IsRefused()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().Draft().AddressedTo("Cllr Jane Porter", email: "jane@council.example.test").CreateOwnedAsync(App, organizer.User);

        var form = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver");

        Assert.Equal(HttpStatusCode.Conflict, form.Status);
        Assert.Contains("You can deliver a petition once it is published", form.Text("[role=status]"), StringComparison.Ordinal);
        Assert.Null(form.Find("form[action$='/deliver/preview']"));
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
    }

    [Fact]
    public async Task Deliver_ClosedPetition_IsAllowed()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().Closed().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);

        var result = await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("jane")));

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Single(await App.DeliveriesAsync(petition.Id));
    }

    [Fact]
    public async Task DeliverPages_OtherUser_GetNotFound()
    {
        var owner = await App.CreateUserAsync("Owner");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: "jane@council.example.test").CreateOwnedAsync(App, owner);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow);
        var stranger = await App.SignInNewUserAsync("Someone Else");
        var token = await stranger.Browser.SignedInAntiforgeryTokenAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliveries")).Status);
        var fields = new KeyValuePair<string, string>[]
        {
            new(TestBrowser.AntiforgeryField, token),
            new("Form.Recipients[0].DecisionMakerId", petition.DecisionMakers[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Recipients[0].Selected", "true"),
            new("Form.Recipients[0].Email", "jane@council.example.test"),
            new("Form.CoverMessage", Cover),
        };
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliver/preview", fields)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliver", fields)).Status);
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliveries/recipients/{delivered.Recipient.Id}/revoke", [new(TestBrowser.AntiforgeryField, token)])).Status);

        Assert.Single(await App.DeliveriesAsync(petition.Id));
        Assert.Null((await App.DeliveriesAsync(petition.Id))[0].Recipients[0].RevokedAt);
    }

    [Theory]
    [InlineData("/deliver")]
    [InlineData("/deliveries")]
    public async Task DeliverPages_Anonymous_AreSentToLogIn(string path)
    {
        var owner = await App.CreateUserAsync("Owner");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateOwnedAsync(App, owner);
        using var anonymous = App.CreateBrowser();

        var page = await anonymous.GetAsync($"/dashboard/p/{petition.Slug}{path}");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/account/login", page.Location!.AbsolutePath);
        Assert.Contains(Uri.EscapeDataString($"/dashboard/p/{petition.Slug}{path}"), page.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_Anonymous_PostIsNotDelivered()
    {
        var owner = await App.CreateUserAsync("Owner");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: "jane@council.example.test").CreateOwnedAsync(App, owner);
        using var anonymous = App.CreateBrowser();
        var token = await anonymous.AntiforgeryTokenAsync(petition.Slug);

        var page = await anonymous.PostAsync($"/dashboard/p/{petition.Slug}/deliver",
        [
            new(TestBrowser.AntiforgeryField, token),
            new("Form.Recipients[0].DecisionMakerId", petition.DecisionMakers[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Recipients[0].Selected", "true"),
            new("Form.CoverMessage", Cover),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/account/login", page.Location!.AbsolutePath);
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
    }

    [Fact]
    public async Task Deliver_Admin_CanDeliverSomeoneElsesPetition()
    {
        var owner = await App.CreateUserAsync("Owner");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, owner);
        var admin = await App.SignInNewUserAsync("Ada Admin", admin: true);

        var result = await admin.Browser.DeliverAsync(petition.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("jane")));

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Single(await App.DeliveriesAsync(petition.Id));
    }
}
