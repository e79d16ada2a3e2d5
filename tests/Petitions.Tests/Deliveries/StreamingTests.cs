using System.Globalization;
using System.Net;
using System.Text;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// The recipient's lists for 100,000 signatures come out whole while the app's live memory stays bounded: the rows
/// stream from the database and are never held as a list. Memory is the live managed heap, sampled after forced
/// collections while the download runs; the limits are generous, and nothing here is timed.
/// </summary>
public sealed class StreamingTests(PetitionsAppFactory app, ITestOutputHelper output) : IntegrationTest(app)
{
    private const int Signatures = 100_000;
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CsvAndPdf_For100000Signatures_StreamWithBoundedMemory()
    {
        var petition = await new PetitionBuilder().WithSlug("big-petition").CreateOwnedAsync(App, null);
        await App.AddConfirmedSignaturesAsync(petition.Id, Signatures, DeliveredAt.AddMinutes(-1), reason: "It matters to me.");
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();

        var (csvGrowth, csvBytes, csvLines) = await MeasureAsync(async () =>
        {
            using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await DrainAsync(await response.Content.ReadAsStreamAsync(), null);
        });
        output.WriteLine($"CSV: {csvBytes:N0} bytes, live heap growth {csvGrowth / 1024.0 / 1024.0:N1} MB");
        Assert.Equal(Signatures + 1, csvLines);
        Assert.True(csvGrowth < 16L * 1024 * 1024, $"The CSV download grew the live heap by {csvGrowth:N0} bytes.");

        var file = Path.Combine(Path.GetTempPath(), $"delivery-test-{Guid.NewGuid():N}.pdf");
        try
        {
            var (pdfGrowth, pdfBytes, _) = await MeasureAsync(async () =>
            {
                using var response = await recipient.Client.GetAsync(new Uri(delivered.Link + "/signatures.pdf", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await using var target = File.Create(file);
                return await DrainAsync(await response.Content.ReadAsStreamAsync(), target);
            });
            output.WriteLine($"PDF: {pdfBytes:N0} bytes, live heap growth {pdfGrowth / 1024.0 / 1024.0:N1} MB");
            Assert.True(pdfGrowth < 64L * 1024 * 1024, $"The PDF download grew the live heap by {pdfGrowth:N0} bytes.");

            AssertCrossReferencesPointAtObjects(await File.ReadAllBytesAsync(file));
            using var pdf = PdfDocument.Open(file);
            var last = pdf.GetPage(pdf.NumberOfPages);
            var words = string.Join(' ', last.GetWords().Select(w => w.Text));
            output.WriteLine($"PDF: {pdf.NumberOfPages:N0} pages");
            Assert.Contains($"Signer {Signatures} ", words + " ", StringComparison.Ordinal);
            Assert.Contains(Signatures.ToString("N0", CultureInfo.InvariantCulture), words, StringComparison.Ordinal);
            Assert.Contains($"Page {pdf.NumberOfPages.ToString("N0", CultureInfo.InvariantCulture)} of {pdf.NumberOfPages.ToString("N0", CultureInfo.InvariantCulture)}", words, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Every entry of the cross-reference table gives the offset of its object: the PDF is written page by page straight
    /// to the output, and a reader that rebuilds a broken table would hide a mistake.
    /// </summary>
    private static void AssertCrossReferencesPointAtObjects(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var startxref = text.LastIndexOf("startxref", StringComparison.Ordinal);
        var xref = int.Parse(text.AsSpan(startxref + "startxref".Length).TrimStart().ToString().Split('\n')[0], CultureInfo.InvariantCulture);
        var lines = text[xref..].Split('\n', 3);
        Assert.Equal("xref", lines[0]);
        var count = int.Parse(lines[1].Split(' ')[1], CultureInfo.InvariantCulture);
        var entries = xref + lines[0].Length + lines[1].Length + 2;
        for (var n = 1; n < count; n++)
        {
            var entry = text.Substring(entries + (n * 20), 20);
            var offset = int.Parse(entry[..10], CultureInfo.InvariantCulture);
            Assert.True(text.AsSpan(offset).StartsWith($"{n} 0 obj"), $"Object {n} is not at offset {offset}.");
        }

        Assert.StartsWith("trailer", text[(entries + (count * 20))..], StringComparison.Ordinal);
    }

    /// <summary>Reads the body in small pieces (copying it to <paramref name="target"/> if given); returns bytes and line count.</summary>
    private static async Task<(long Bytes, long Lines)> DrainAsync(Stream body, Stream? target)
    {
        var buffer = new byte[16 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            if (target is not null)
            {
                await target.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        return (bytes, lines);
    }

    /// <summary>Runs the work while sampling the live heap (after full collections); returns the peak growth over the start.</summary>
    private static async Task<(long Growth, long Bytes, long Lines)> MeasureAsync(Func<Task<(long Bytes, long Lines)>> work)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                try
                {
                    await Task.Delay(100, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var (bytes, lines) = await work();
        await stop.CancelAsync();
        await sampler;
        return (peak - baseline, bytes, lines);
    }
}
