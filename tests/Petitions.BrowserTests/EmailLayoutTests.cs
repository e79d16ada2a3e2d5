using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Email;
using Petitions.Web.Features.Account;
using Petitions.Web.Features.Deliveries;
using Petitions.Web.Features.Moderation;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Signing;
using Xunit.Abstractions;

namespace Petitions.BrowserTests;

/// <summary>Every kind of email, rendered by the site's own templates, fits a 390 px phone screen; each is screenshotted.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class EmailLayoutTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private const string Title = "Build protected cycle lanes on Mill Road and make the junction with Station Road safe for children";
    private const string Url = "https://petitions.example.org/p/build-protected-cycle-lanes-on-mill-road-and-make-the-junction-safe";
    private static readonly string Link = "https://petitions.example.org/s/confirm/" + new string('A', 43);

    public static TheoryData<string> Kinds => new()
    {
        "AccountExists", "AlreadySigned", "ConfirmAccount", "ConfirmSignature", "DeliveryReceipt", "DeliveryRecipient",
        "DeliveryResponse", "ResetPassword", "SupporterNotice", "ModerationDecision", "FullListReleased",
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Email_At390Pixels_HasNoSidewaysScroll(string kind)
    {
        var renderer = app.App.Services.GetRequiredService<EmailRenderer>();
        var template = EmailKind.All.First(k => k.Template == kind);
        var now = DateTimeOffset.UtcNow;
        var details = new SignatureDetails("Robin Ashdown", "EF1 2AB", "United Kingdom", "My street has no trees at all.", false, true, false);
        var email = kind switch
        {
            "AccountExists" or "ConfirmAccount" or "ResetPassword" => await renderer.RenderAsync(template, new AccountLinkEmail("Robin Ashdown", Link)),
            "AlreadySigned" => await renderer.RenderAsync(template, new AlreadySignedEmail("Robin Ashdown", Title, Url, Link)),
            "ConfirmSignature" => await renderer.RenderAsync(template, new ConfirmSignatureEmail(details, Title, Url, Link, Link)),
            "DeliveryReceipt" => await renderer.RenderAsync(template, new DeliveryReceiptEmail("Mill Road Cyclists", Title, 1234, ["Jane Smith, Leader, Cambridge City Council"], now, now.AddDays(30), Url + "/deliveries")),
            "DeliveryRecipient" => await renderer.RenderAsync(template, new DeliveryRecipientEmail("Jane Smith", Title, "Mill Road Cyclists", 1234,
                "Dear councillor, we would like to meet you before the budget meeting.", "<p>Mill Road is the busiest cycling street in the city.</p>",
                "Mill Road is the busiest cycling street in the city.", Url, Link, now.AddDays(30), false, "Petitions", Link)),
            "DeliveryResponse" => await renderer.RenderAsync(template, new DeliveryResponseEmail("Mill Road Cyclists", Title, "Jane Smith", "Leader, Cambridge City Council",
                "We will fund the lanes in next year's budget.", true, false, Url, Url + "/deliveries")),
            "FullListReleased" => await renderer.RenderAsync(template, new FullListReleasedEmail("Jane Smith", Title, "Mill Road Cyclists", now.AddDays(-3), now.AddDays(27), Url, "Petitions", Link)),
            "ModerationDecision" => await renderer.RenderAsync(template, new ModerationDecisionEmail("Mill Road Cyclists", "Your petition was removed: " + Title,
                "The moderators removed your petition from the site. Its signatures are kept.", "It names a private person.", null, null, "See it in your dashboard", Url)),
            _ => await renderer.RenderAsync(template, new SupporterNoticeEmail("Robin Ashdown", Title, Url, "<p>We meet the council on Monday.</p>", "We meet the council on Monday.", Link, Link)),
        };
        Assert.Contains("name=\"viewport\"", email.Html, StringComparison.Ordinal);
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();

        await page.SetContentAsync(email.Html);

        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Directory.CreateDirectory(PolishJourneyTests.ScreensFolder);
        var path = Path.Combine(PolishJourneyTests.ScreensFolder, $"email-{kind}-390.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
        Assert.True(width <= 390, $"{kind} is {width} px wide at 390 px");
    }
}
