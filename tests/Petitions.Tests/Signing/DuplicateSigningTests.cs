using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Signing;

/// <summary>One signature per person per petition, without revealing to the browser whether someone has signed.</summary>
public sealed class DuplicateSigningTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_SameEmailWithOtherCaseAndSpaces_RespondsTheSameAndKeepsOneRow()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("dup");
        using var browser = App.CreateBrowser();

        var first = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        var second = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Someone Else").WithEmail($"  {email.ToUpperInvariant()} "));

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Equal(first.Status, second.Status);
        Assert.Equal(first.Location, second.Location);
        Assert.Equal(first.Html, second.Html);
        // Still pending: the second attempt replaces the first (see ResubmissionTests), with a fresh confirmation
        // email, and only its link works.
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal("Someone Else", signature.FullName);
        Assert.Equal(SignatureState.Pending, signature.State);
        var kinds = await App.WithDbAsync(db => db.OutboxMessages.Select(m => m.Kind).ToListAsync());
        Assert.Equal(["confirm-signature", "confirm-signature"], kinds);
        var emails = await MailDev.WaitForEmailsAsync(email, 2);
        var links = emails.ToDictionary(m => m.Text!.Contains("Dear Someone Else", StringComparison.Ordinal), m => m.SingleLink("/s/confirm/"));
        Assert.Equal(2, links.Count);

        var stale = await browser.GetAsync(links[false]);
        var current = await browser.GetAsync(links[true]);

        Assert.Equal(HttpStatusCode.NotFound, stale.Status);
        Assert.Equal(HttpStatusCode.OK, current.Status);
        Assert.Equal("Thank you for signing", current.Text("h1"));
    }

    [Theory]
    [InlineData("jane.doe.{0}@gmail.com", "JaneDoe{0}+petitions@gmail.com")]
    [InlineData("janedoe{0}@gmail.com", "jane.doe.{0}@googlemail.com")]
    [InlineData("janedoe{0}@gmail.com", " JANE.DOE{0}+x@GMAIL.COM ")]
    public async Task Post_GmailVariantAfterConfirming_SendsAlreadySignedEmailAndKeepsOneRow(string firstPattern, string secondPattern)
    {
        var petition = await new PetitionBuilder().WithTitle("Keep the night bus running").CreateAsync(App.Services);
        var id = Guid.NewGuid().ToString("N")[..12];
        var firstEmail = string.Format(System.Globalization.CultureInfo.InvariantCulture, firstPattern, id);
        var secondTyped = string.Format(System.Globalization.CultureInfo.InvariantCulture, secondPattern, id);
        var secondEmail = secondTyped.Trim();
        using var browser = App.CreateBrowser();

        var first = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(firstEmail));
        var confirmation = await MailDev.WaitForEmailAsync(firstEmail);
        Assert.Equal("Thank you for signing", (await browser.GetAsync(confirmation.SingleLink("/s/confirm/"))).Text("h1"));

        var second = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(secondTyped));

        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        Assert.Equal(first.Location, second.Location);
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SignatureState.Confirmed, signature.State);
        Assert.Equal($"janedoe{id}@gmail.com", signature.NormalizedEmail);
        var already = await MailDev.WaitForEmailAsync(secondEmail, m => m.Subject.StartsWith("You have already signed", StringComparison.Ordinal));
        Assert.Equal("You have already signed: Keep the night bus running", already.Subject);
        Assert.DoesNotContain(already.Links(), l => l.Contains("/s/confirm/", StringComparison.Ordinal));
        var kinds = await App.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync());
        Assert.Equal(["confirm-signature", "already-signed"], kinds);
    }

    [Fact]
    public async Task Post_SameEmailConcurrently_KeepsExactlyOneRowAndNeverFails()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("race");
        using var browser = App.CreateBrowser();
        var token = await browser.AntiforgeryTokenAsync(petition.Slug);
        var fields = new SignFormBuilder().WithEmail(email).Build(token);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var content = new FormUrlEncodedContent(fields);
            using var response = await browser.Client.PostAsync(new Uri($"/p/{petition.Slug}/sign", UriKind.Relative), content);
            return (response.StatusCode, response.Headers.Location);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.All(responses, r => Assert.Equal($"/p/{petition.Slug}/check-your-email", r.Location?.OriginalString));
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        // One inbox gets at most its hourly allowance of emails, however many posts race (SigningEmailThrottleTests).
        Assert.Equal(5, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }
}
