using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Privacy;

/// <summary>The privacy page says what the site does: its periods come from the settings, and it covers every right.</summary>
public sealed class PrivacyPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Privacy_ReadsTheRetentionSettings_AndExplainsProtectedPetitionsAndReceipts()
    {
        await using var variant = App.WithSettings(("Retention:UnconfirmedDays", "3"), ("Retention:IpDays", "45"));
        using var visitor = variant.CreateBrowser();

        var page = await visitor.GetAsync("/privacy");

        var text = HtmlPage.Normalize(page.One("main").TextContent);
        Assert.Contains("Unconfirmed signatures (often typed by someone else) are deleted after 3 days.", text, StringComparison.Ordinal);
        Assert.Contains("After 45 days, the IP address of a signature", text, StringComparison.Ordinal);
        Assert.Equal("Protected petitions", page.One("h2#protected").TextContent.Trim());
        Assert.Contains("We do not store the IP address your signature came from.", text, StringComparison.Ordinal);
        Assert.Equal("Deliveries anyone can verify", page.One("h2#verify").TextContent.Trim());
        Assert.Equal("Verify my signature", page.One("main a[href='/verify']").TextContent.Trim());
        Assert.DoesNotContain("can be delivered later if", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_InPersian_GivesThePeriodsInPersianDigits()
    {
        using var visitor = App.CreateBrowser();

        var page = await visitor.GetAsync("/fa/privacy");

        var text = HtmlPage.Normalize(page.One("main").TextContent);
        Assert.Equal("تحویلی که همه می‌توانند وارسی کنند", page.One("h2#verify").TextContent.Trim());
        Assert.Contains("۷", text, StringComparison.Ordinal);
        Assert.DoesNotContain("7 ", text, StringComparison.Ordinal);
    }
}
