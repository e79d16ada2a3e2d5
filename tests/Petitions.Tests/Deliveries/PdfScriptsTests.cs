using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Features.Deliveries;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// The delivered list in any script: Persian and Arabic names joined and right to left, with their digits in order,
/// Hebrew, Chinese and accented Latin, and lines that mix directions. The text PdfPig takes from the PDF (in the
/// order it is written, as copy and paste does) must be each name as it was typed; the letters' positions must be
/// the order a reader sees. Set PETITIONS_PDF_SAMPLE to a file path to keep the PDF for a look.
/// </summary>
public sealed class PdfScriptsTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Place, string Country, string? Reason)[] Signers =
    [
        ("علی رضایی", "تهران ۱۴۳۵۶", "IR", "برای ۳ فرزندم"),
        ("عبد الله الأحمد", "القاهرة", "EG", "من أجل السلام"),
        ("דוד כהן", "תל אביב", "IL", "כי זה חשוב"),
        ("王小明", "北京", "CN", "为了自由"),
        ("José Müller-Łukasiewicz", "Zürich", "CH", "Pour la liberté, évidemment."),
        ("Ali Rezaei / علی رضایی", "Paris 75011", "FR", "For 2 friends / برای ۲ دوستم"),
    ];

    [Fact]
    public async Task Pdf_NamesInEveryScript_ComeOutInLogicalOrderAndAreDrawnInVisualOrder()
    {
        var petition = await new PetitionBuilder().WithTitle("آزادی برای زندانیان سیاسی در ایران").CreateOwnedAsync(App, null);
        for (var i = 0; i < Signers.Length; i++)
        {
            var (name, place, country, reason) = Signers[i];
            await App.AddSignatureAsync(petition.Id, s => s.Named(name).From(country, place).WithReason(reason)
                .CreatedAt(DeliveredAt.AddHours(-Signers.Length + i)).Confirmed());
        }

        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Keep(bytes);
        using var pdf = PdfDocument.Open(bytes);
        var cover = pdf.GetPage(1);
        Assert.Contains(Folded("آزادی برای زندانیان سیاسی در ایران"), Logical(cover), StringComparison.Ordinal);
        var table = pdf.GetPage(pdf.NumberOfPages);
        var text = Logical(table);
        foreach (var (name, place, _, reason) in Signers)
        {
            Assert.Contains(Folded(name), text, StringComparison.Ordinal);
            Assert.Contains(Folded(place), text, StringComparison.Ordinal);
            Assert.Contains(Folded(reason!), text, StringComparison.Ordinal);
        }

        // Seen from the left: the Persian name's first letter is its rightmost, and its digits still read 1, 4, 3, 5, 6.
        AssertRightToLeft(table, "علی رضایی");
        AssertLeftToRight(table, "۱۴۳۵۶");
        AssertRightToLeft(table, "דוד כהן");
        AssertLeftToRight(table, "José Müller-Łukasiewicz");
        AssertLeftToRight(table, "王小明");
        // In the mixed line, the Latin part comes first from the left, then the Persian part, right to left.
        var mixed = Find(table, "Ali Rezaei / علی رضایی");
        Assert.True(mixed[0].StartBaseLine.X < mixed[^1].StartBaseLine.X, "The mixed name should start with its Latin part on the left.");
        AssertRightToLeft(table, "Ali Rezaei / علی رضایی".Split(" / ")[1], after: "Ali Rezaei / ");

        // Joined: the letters of "علی" are drawn in their initial, medial and final forms, not one by one.
        var ali = Find(table, "علی");
        Assert.Equal(["\uFECB", "\uFEE0", "\uFBFD"], ali.Select(l => l.Value).ToArray());
        // "الأحمد" has lam and alef with hamza as one ligature.
        Assert.Contains(Find(table, "الأحمد"), l => l.Value == "\uFEF7" || l.Value == "\uFEF8");
    }

    [Fact]
    public async Task Pdf_RightToLeftLabels_LayTheTableOutFromTheRight()
    {
        var petition = await new PetitionBuilder().CreateOwnedAsync(App, null);
        await App.AddSignatureAsync(petition.Id, s => s.Named("Jane Walker").From("GB", "Leeds").WithReason("The path is dark.")
            .CreatedAt(DeliveredAt.AddHours(-1)).Confirmed());
        var labels = new PdfLabels
        {
            RightToLeft = true,
            NameColumn = "نام",
            PlaceColumn = "کد پستی یا شهر",
            CountryColumn = "کشور",
            SignedColumn = "تاریخ",
            ReasonColumn = "دلیل",
            Signatures = "امضاها",
            PageOf = "صفحه {0} از {1}",
            NoSignatures = "هنوز امضای تأییدشده‌ای نیست.",
            ThePetition = "متن دادخواست",
        };
        var cover = new PdfCover(petition.Id, petition.Title, petition.Body, petition.StarterName, [], "Jane Porter", null, DeliveredAt,
            "Please read it.", "http://localhost/p/x", "Petitions", labels);
        using var file = new MemoryStream();

        var rows = await App.Services.GetRequiredService<SignatureListPdf>().WriteAsync(cover, file, CancellationToken.None);

        Assert.Equal(1, rows);
        Keep(file.ToArray(), ".rtl.pdf");
        using var pdf = PdfDocument.Open(file.ToArray());
        Assert.Contains(Folded("متن دادخواست"), Logical(pdf.GetPage(1)), StringComparison.Ordinal);
        var table = pdf.GetPage(pdf.NumberOfPages);
        var text = Logical(table);
        Assert.Contains(Folded($"صفحه {pdf.NumberOfPages} از {pdf.NumberOfPages}"), text, StringComparison.Ordinal);
        var name = Find(table, "نام");
        var reason = Find(table, "دلیل");
        var signer = Find(table, "Jane Walker");
        // The row's number is the rightmost "1" on the signer's line (the date has ones too).
        var number = table.Letters.Where(l => l.Value == "1" && Math.Abs(l.StartBaseLine.Y - signer[0].StartBaseLine.Y) < 1).MaxBy(l => l.StartBaseLine.X)!;
        // Columns from the right: the row's number at the right edge, the name next to it, the reason at the left.
        Assert.True(number.StartBaseLine.X > 500, $"The row number should be at the right, not at x = {number.StartBaseLine.X}.");
        Assert.True(name[0].StartBaseLine.X > reason[0].StartBaseLine.X, "The name column should be to the right of the reason column.");
        Assert.True(signer[0].StartBaseLine.X is > 300 and < 500, $"The name should be next to its number, not at x = {signer[0].StartBaseLine.X}.");
        // Each cell ends at its column's right edge, as its heading does (the heading's first letter is its rightmost).
        Assert.True(Math.Abs(name[0].EndBaseLine.X - signer[^1].EndBaseLine.X) < 2,
            $"The heading ends at x = {name[0].EndBaseLine.X} and the name at {signer[^1].EndBaseLine.X}.");
        Assert.True(Find(table, "صفحه")[0].StartBaseLine.X < 200, "The page number should be at the left of the foot.");
    }

    /// <summary>The page's text in the order it is written, with Arabic presentation forms (the joined shapes' code points) folded back to letters.</summary>
    private static string Logical(Page page) => Folded(page.Text);

    /// <summary>Compatibility-folded (NFKC), as "هٔ" is also written "ۀ".</summary>
    private static string Folded(string text) => text.Normalize(NormalizationForm.FormKC);

    /// <summary>The letters that spell <paramref name="value"/>, in the order they are written, after <paramref name="after"/>.</summary>
    private static List<Letter> Find(Page page, string value, string after = "")
    {
        var letters = page.Letters.Where(l => l.Value != " ").ToList();
        var folded = letters.Select(l => l.Value.Normalize(NormalizationForm.FormKC)).ToList();
        var target = Folded(after + value).Replace(" ", "", StringComparison.Ordinal);
        var joined = string.Concat(folded);
        var at = joined.IndexOf(target, StringComparison.Ordinal);
        Assert.True(at >= 0, $"\"{after + value}\" is not on the page.");
        // Map the character offset back to letters (a ligature is one letter with two characters).
        int offset = 0, first = -1, last = -1, start = at + Folded(after).Replace(" ", "", StringComparison.Ordinal).Length, end = at + target.Length;
        for (var i = 0; i < folded.Count; i++)
        {
            if (first < 0 && offset >= start)
            {
                first = i;
            }

            offset += folded[i].Length;
            if (offset >= end)
            {
                last = i;
                break;
            }
        }

        return letters.GetRange(first, last - first + 1);
    }

    private static void AssertRightToLeft(Page page, string value, string after = "")
    {
        var xs = Find(page, value, after).Select(l => l.StartBaseLine.X).ToList();
        Assert.True(xs.Zip(xs.Skip(1)).All(p => p.First > p.Second), $"\"{value}\" should be drawn right to left: {string.Join(", ", xs.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}.");
    }

    private static void AssertLeftToRight(Page page, string value)
    {
        var xs = Find(page, value).Select(l => l.StartBaseLine.X).ToList();
        Assert.True(xs.Zip(xs.Skip(1)).All(p => p.First < p.Second), $"\"{value}\" should be drawn left to right: {string.Join(", ", xs.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}.");
    }

    private static void Keep(byte[] pdf, string suffix = "")
    {
        if (Environment.GetEnvironmentVariable("PETITIONS_PDF_SAMPLE") is { Length: > 0 } path)
        {
            File.WriteAllBytes(path + suffix, pdf);
        }
    }
}
