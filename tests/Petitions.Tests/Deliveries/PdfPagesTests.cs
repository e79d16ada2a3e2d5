using System.Globalization;
using System.Net;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// The PDF counts its table's pages before drawing them, so "Page N of M" can go on each page as it is finished:
/// rows of every height (no reason, one to three lines, a reason cut short) still land on the pages counted.
/// </summary>
public sealed class PdfPagesTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Pdf_RowsOfEveryHeight_NumberEveryPageOfTheTotal()
    {
        const int count = 400;
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        await AddVariedSignaturesAsync(petition.Id, count);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var pages = pdf.GetPages().Select(p => string.Join(' ', p.GetWords().Select(w => w.Text))).ToList();
        Assert.True(pages.Count > 8, $"The rows should run over many pages, not {pages.Count}.");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i], StringComparison.Ordinal);
        }

        Assert.Contains($"Varied {count} ", pages[^1] + " ", StringComparison.Ordinal);
        Assert.Contains(count.ToString(CultureInfo.InvariantCulture), pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_NoSignatures_HasOnePageSayingSo()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var last = string.Join(' ', pdf.GetPage(pdf.NumberOfPages).GetWords().Select(w => w.Text));
        Assert.Contains("No confirmed signatures yet.", last, StringComparison.Ordinal);
        Assert.Contains($"Page {pdf.NumberOfPages} of {pdf.NumberOfPages}", last, StringComparison.Ordinal);
    }

    private async Task AddVariedSignaturesAsync(long petitionId, int count)
    {
        await new BulkSignatures
        {
            FullName = "'Varied ' || i",
            Email = "'varied' || i || '@bulk.example.test'",
            Reason = """
                CASE i % 6
                    WHEN 0 THEN NULL
                    WHEN 1 THEN 'Short.'
                    WHEN 2 THEN 'Because the towpath is dark and the winter is long, and we walk home that way.'
                    WHEN 3 THEN repeat('Every evening the path floods and nobody can see where the edge is. ', 5)
                    WHEN 4 THEN E'   \t  '
                    ELSE E'First line\nsecond line\tand a tab, then a word much too long to fit: ' || repeat('x', 80)
                END
                """,
            TokenSeed = "'varied-' || $1 || '-' || i",
            CreatedAt = "$3 - make_interval(secs => $2 - i + 1)",
            ConfirmedAt = "$3 - make_interval(secs => $2 - i + 1)",
        }.InsertAsync(App.ConnectionString, petitionId, count, new NpgsqlParameter<DateTimeOffset> { TypedValue = DeliveredAt.AddMinutes(-1).ToUniversalTime() });
    }
}
