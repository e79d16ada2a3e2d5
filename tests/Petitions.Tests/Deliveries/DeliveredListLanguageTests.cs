using System.Net;
using System.Text;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Petitions.Tests.Deliveries;

/// <summary>The delivered list speaks the delivery's language, whatever page the recipient downloads it from.</summary>
public sealed class DeliveredListLanguageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PersianDelivery_HasPersianCsvHeadingsAndPdfLabels()
    {
        var petition = await new PetitionBuilder().WithTitle("آزادی زندانیان سیاسی").CreateOwnedAsync(App, null);
        await App.AddSignatureAsync(petition.Id, s => s.Named("علی رضایی").From("IR", "تهران").WithReason("برای آزادی").CreatedAt(DeliveredAt.AddDays(-1)).Confirmed());
        var persian = await App.DeliverDirectlyAsync(petition, DeliveredAt, "سارا احمدی", null, DateTimeOffset.UtcNow.AddDays(1), 1, language: "fa");
        var english = await App.DeliverDirectlyAsync(petition, DeliveredAt, "Jane Porter", null, DateTimeOffset.UtcNow.AddDays(1), 1);
        using var recipient = App.CreateBrowser();

        // The unprefixed (English) download page still gives the Persian delivery's list in Persian.
        Assert.StartsWith("نام,کد پستی یا شهر,کشور,", await CsvAsync(recipient, persian.Link), StringComparison.Ordinal);
        Assert.StartsWith("Name,Postcode or city,Country,Signed at,Reason\r\n", await CsvAsync(recipient, english.Link), StringComparison.Ordinal);

        using var response = await recipient.Client.GetAsync(new Uri(persian.Link + "/signatures.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", pdf.GetPages().Select(p => p.Text)).Normalize(NormalizationForm.FormKC);
        Assert.Contains("پیام برگزارکننده".Normalize(NormalizationForm.FormKC), text, StringComparison.Ordinal);
        Assert.Contains("کد پستی یا شهر".Normalize(NormalizationForm.FormKC), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Message from the organizer", text, StringComparison.Ordinal);
    }

    private static async Task<string> CsvAsync(TestBrowser browser, string link)
    {
        using var response = await browser.Client.GetAsync(new Uri(link + "/signatures.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]);
    }
}
