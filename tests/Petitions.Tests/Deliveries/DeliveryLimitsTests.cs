using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// Delivery is no open mail relay: a petition needs enough confirmed signatures, and an organizer can deliver only so
/// often in a day (Delivery__MinimumSignatures 5 and Delivery__MaxPerOrganizerPerDay 3, the defaults).
/// </summary>
public sealed class DeliveryLimitsTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Cover = "Dear councillor,\n\nHere are the signatures.";
    private const string LimitMessage = "You have delivered 3 times in the last 24 hours, the most allowed. You can deliver again after ";

    [Fact]
    public async Task Deliver_FewerConfirmedSignaturesThanTheMinimum_IsRefusedWithMessageAndSendsNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: DeliveryTestKit.UniqueEmail("jane")).CreateOwnedAsync(App, organizer.User);
        await App.AddConfirmedSignaturesAsync(petition.Id, 4, DateTimeOffset.UtcNow.AddMinutes(-1));
        for (var i = 0; i < 3; i++)
        {
            await App.AddSignatureAsync(petition.Id, s => s.Pending());
        }

        const string message = "You can deliver the petition once it has at least 5 confirmed signatures. It has 4";
        var form = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal(message, form.Text("#Delivery"));
        Assert.Null(form.Find("form[action$='/deliver/preview']"));

        // Posted anyway, to the preview and straight to the confirm step: refused in the GOV.UK error pattern.
        var token = await organizer.Browser.SignedInAntiforgeryTokenAsync();
        foreach (var path in new[] { "/deliver/preview", "/deliver" })
        {
            var page = await organizer.Browser.PostAsync($"/dashboard/p/{petition.Slug}{path}", Fields(token, petition, DeliveryTestKit.UniqueEmail("jane")));
            Assert.Equal(HttpStatusCode.BadRequest, page.Status);
            Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
            Assert.Equal(message, page.One(".error-summary a[href='#Delivery']").TextContent.Trim());
            Assert.Equal("Error: " + message, page.Text("#Delivery-error"));
        }

        Assert.Empty(await App.DeliveriesAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));

        // The fifth confirmation is enough.
        await App.AddSignatureAsync(petition.Id, s => s.Confirmed());
        var delivered = await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("jane")));
        Assert.Equal(HttpStatusCode.Redirect, delivered.Status);
        Assert.Equal(5, Assert.Single(await App.DeliveriesAsync(petition.Id)).SignatureCount);
    }

    [Fact]
    public async Task Deliver_FourthTimeInADay_IsRefusedWith429AcrossPetitionsAndSendsNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var first = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);
        var second = await new PetitionBuilder().AddressedTo("Mayor Sam Lee").CreateDeliverableAsync(App, organizer.User);
        foreach (var petition in new[] { first, first, second })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("dm")))).Status);
        }

        await App.WaitForOutboxDrainedAsync();
        var emailsBefore = await App.WithDbAsync(db => db.OutboxMessages.CountAsync());

        var form = await organizer.Browser.GetAsync($"/dashboard/p/{second.Slug}/deliver");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.StartsWith(LimitMessage, form.Text("#Delivery"), StringComparison.Ordinal);
        Assert.Null(form.Find("form[action$='/deliver/preview']"));
        var token = await organizer.Browser.SignedInAntiforgeryTokenAsync();
        foreach (var path in new[] { "/deliver/preview", "/deliver" })
        {
            var page = await organizer.Browser.PostAsync($"/dashboard/p/{second.Slug}{path}", Fields(token, second, DeliveryTestKit.UniqueEmail("sam")));
            Assert.Equal(HttpStatusCode.TooManyRequests, page.Status);
            Assert.StartsWith(LimitMessage, page.One(".error-summary a[href='#Delivery']").TextContent.Trim(), StringComparison.Ordinal);
            Assert.StartsWith("Error: " + LimitMessage, page.Text("#Delivery-error"), StringComparison.Ordinal);
        }

        Assert.Equal(3, (await App.DeliveriesAsync(first.Id)).Count + (await App.DeliveriesAsync(second.Id)).Count);
        Assert.Equal(emailsBefore, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));

        // Another organizer has a limit of their own.
        var other = await App.SignInNewUserAsync("Someone Else");
        var theirs = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, other.User);
        Assert.Equal(HttpStatusCode.Redirect, (await other.Browser.DeliverAsync(theirs.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("jane")))).Status);

        // A delivery more than 24 hours old no longer counts.
        await App.WithDbAsync(db => db.Deliveries.Where(d => d.PetitionId == first.Id).OrderBy(d => d.Id).Take(1)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.DeliveredAt, DateTimeOffset.UtcNow.AddHours(-25))));
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.DeliverAsync(second.Slug, Cover, (0, DeliveryTestKit.UniqueEmail("sam")))).Status);
    }

    [Fact]
    public async Task Deliver_ManyAtOnce_NeverGoesPastTheDailyLimit()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);
        var token = await organizer.Browser.SignedInAntiforgeryTokenAsync();

        var pages = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            organizer.Browser.PostAsync($"/dashboard/p/{petition.Slug}/deliver", Fields(token, petition, DeliveryTestKit.UniqueEmail("jane")))));

        Assert.Equal(3, pages.Count(p => p.Status == HttpStatusCode.Redirect));
        Assert.Equal(3, pages.Count(p => p.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, (await App.DeliveriesAsync(petition.Id)).Count);
        Assert.Equal(3, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == "delivery")));
    }

    /// <summary>The deliver form as a browser posts it, for the first decision maker at <paramref name="email"/>.</summary>
    private static KeyValuePair<string, string>[] Fields(string token, Petition petition, string email) =>
    [
        new(TestBrowser.AntiforgeryField, token),
        new("Form.Recipients[0].DecisionMakerId", petition.DecisionMakers[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Form.Recipients[0].Selected", "true"),
        new("Form.Recipients[0].Email", email),
        new("Form.CoverMessage", Cover),
    ];
}
