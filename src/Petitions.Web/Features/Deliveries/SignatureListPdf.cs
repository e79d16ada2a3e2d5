using System.Data;
using System.Globalization;
using Npgsql;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

/// <summary>What the PDF says about the petition and the delivery, besides the signatures.</summary>
public sealed record PdfCover(
    long PetitionId,
    string Title,
    string BodyMarkdown,
    string StarterName,
    IReadOnlyList<string> DecisionMakers,
    string RecipientName,
    string? RecipientTitle,
    DateTimeOffset DeliveredAt,
    string CoverMessage,
    string PetitionUrl,
    string SiteName);

/// <summary>
/// The printable signature list: a cover with the petition and its totals, then a numbered table of every signature
/// confirmed by the delivery, with the column headers on every page and "Page N of M" at the foot.
/// PDFsharp keeps the whole document until it is saved, so the rows stream from a data reader and each page is
/// finished as soon as it is full: its footer drawn (the table's pages are counted first, in a pass that lays the
/// rows out without drawing them), its content compressed and moved to a temporary file until the document is
/// written, and its resources shared with every other page. What remains in memory per page is PDFsharp's page
/// object, not the rows.
/// </summary>
public sealed partial class SignatureListPdf(NpgsqlDataSource dataSource)
{
    private const double Margin = 40;
    private const double FooterSpace = 44;
    private const double TableFontSize = 8;
    private const double RowLine = 10;
    private const double RowPadding = 4;
    private const int MaxReasonLines = 3;
    private const double Gap = 6;

    private static readonly XSize A4 = PdfSharp.PageSizeConverter.ToSize(PdfSharp.PageSize.A4);
    private static readonly XColor Grey = XColor.FromArgb(0x50, 0x5a, 0x5f);
    private static readonly XPen RowRule = new(XColor.FromArgb(0xd0, 0xd4, 0xd7), 0.4);
    private static readonly XPen HeaderRule = new(XColors.Black, 0.8);

    static SignatureListPdf()
    {
        // PDFsharp 6.5 is licensed under the AGPL 3.0 unless a commercial key is loaded, and refuses to create
        // documents until one of the two is chosen. This project uses it under the AGPL.
        PdfSharp.PdfSharpLicense.SetAgplLicense();
        DeliveryFonts.EnsureRegistered();
    }

    public static string FileName(string slug) => $"{slug}-signatures.pdf";

    /// <summary>Writes the PDF to <paramref name="output"/> and returns the number of signatures listed.</summary>
    public async Task<int> WriteAsync(PdfCover cover, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cover);
        ArgumentNullException.ThrowIfNull(output);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the totals on the cover and the rows in the table, so they always agree.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var countries = await CountriesAsync(connection, transaction, cover, cancellationToken);

        using var document = new PdfDocument();
        document.Info.Title = $"Signatures: {cover.Title}";
        document.Info.Creator = cover.SiteName;
        document.Options.CompressContentStreams = true;

        var fonts = new Fonts();
        using var measure = XGraphics.CreateMeasureContext(A4, XGraphicsUnit.Point, XPageDirection.Downwards);
        var tablePages = await CountTablePagesAsync(connection, transaction, cover, measure, fonts, cancellationToken);

        var pages = new SharedPages(document);
        await using var spill = new PdfContentSpill();
        using (var writer = new PageWriter(pages, fonts))
        {
            DrawCover(writer, cover, countries);
        }

        var coverPages = document.PageCount;
        var footer = new Footer(fonts, cover, coverPages + tablePages);
        int rows;
        using (var table = new TableWriter(pages, fonts, measure, cover.Title, footer, coverPages, spill))
        {
            await using var command = SignatureRows.Command(connection, transaction, cover.PetitionId, cover.DeliveredAt);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                table.Add(SignatureRows.Read(reader));
            }

            if (table.Rows == 0)
            {
                table.Empty();
            }

            rows = table.Rows;
        }

        await transaction.CommitAsync(cancellationToken);
        if (document.PageCount != footer.PageCount)
        {
            throw new InvalidOperationException($"The table took {document.PageCount - coverPages} pages, not the {tablePages} counted for the page numbers.");
        }

        // The cover's few pages are numbered last, as their number was not known while they were drawn.
        for (var i = 0; i < coverPages; i++)
        {
            var page = document.Pages[i];
            using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                footer.Draw(gfx, i + 1);
            }

            Compress(page);
        }

        await spill.SaveAsync(document, output, cancellationToken);
        return rows;
    }

    /// <summary>"Page N of M" and the petition's title at the foot of a page.</summary>
    private sealed class Footer(Fonts fonts, PdfCover cover, int pageCount)
    {
        private readonly XSolidBrush brush = new(Grey);
        private readonly string caption = $"{cover.Title} · delivered {Date(cover.DeliveredAt)}";
        private double captionWidth = -1;
        private string fittedCaption = "";

        public int PageCount => pageCount;

        public void Draw(XGraphics gfx, int number)
        {
            var y = A4.Height - Margin + 12;
            var label = $"Page {Number(number)} of {Number(pageCount)}";
            var width = gfx.MeasureString(label, fonts.Small).Width;
            var right = A4.Width - Margin;
            gfx.DrawString(label, fonts.Small, brush, right - width, y);
            // The caption's room changes only with the number of digits in the label: cut it to fit once per width.
            if (width != captionWidth)
            {
                captionWidth = width;
                fittedCaption = Fit(gfx, caption, fonts.Small, right - width - Margin - 20);
            }

            gfx.DrawString(fittedCaption, fonts.Small, brush, Margin, y);
        }
    }

    internal static void Compress(PdfPage page)
    {
        foreach (var content in page.Contents)
        {
            content.Compressed = true;
        }
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The text cut to fit <paramref name="width"/>, with an ellipsis when cut.</summary>
    internal static string Fit(XGraphics gfx, string text, XFont font, double width)
    {
        if (gfx.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (gfx.MeasureString(string.Concat(text.AsSpan(0, mid).TrimEnd(), "…"), font).Width <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return string.Concat(text.AsSpan(0, low).TrimEnd(), "…");
    }

    /// <summary>Greedy word wrap; at most <paramref name="maxLines"/> lines, the last ending in an ellipsis when text is left over.</summary>
    internal static List<string> Wrap(XGraphics gfx, string text, XFont font, double width, int maxLines = int.MaxValue)
    {
        var lines = new List<string>();
        // Widths add up (PDFsharp does not kern), so each word is measured once rather than every longer line.
        var space = gfx.MeasureString(" ", font).Width;
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var words = paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                if (lines.Count > 0 && maxLines == int.MaxValue)
                {
                    lines.Add("");
                }

                continue;
            }

            var line = "";
            var lineWidth = 0.0;
            for (var w = 0; w < words.Length; w++)
            {
                var word = words[w];
                var wordWidth = gfx.MeasureString(word, font).Width;
                var candidateWidth = line.Length == 0 ? wordWidth : lineWidth + space + wordWidth;
                if (candidateWidth <= width)
                {
                    line = line.Length == 0 ? word : string.Concat(line, " ", word);
                    lineWidth = candidateWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                    line = "";
                    if (lines.Count == maxLines)
                    {
                        lines[^1] = Fit(gfx, lines[^1] + " " + string.Join(' ', words[w..]), font, width);
                        return lines;
                    }
                }

                // A word wider than the column is broken wherever it must be.
                while (wordWidth > width)
                {
                    var piece = Fit(gfx, word, font, width).TrimEnd('…');
                    if (piece.Length == 0)
                    {
                        piece = word[..1];
                    }

                    lines.Add(piece);
                    word = word[piece.Length..];
                    if (lines.Count == maxLines)
                    {
                        lines[^1] = Fit(gfx, lines[^1] + word, font, width);
                        return lines;
                    }

                    wordWidth = gfx.MeasureString(word, font).Width;
                }

                line = word;
                lineWidth = wordWidth;
            }

            lines.Add(line);
            if (lines.Count >= maxLines)
            {
                return lines;
            }
        }

        return lines;
    }

    /// <summary>
    /// Adds A4 pages that share one resource dictionary and one transparency group. PDFsharp would give each page its
    /// own of both (the group when saving), some 2 KB a page held until the document is saved; every page here uses
    /// the same two fonts and graphics states, so one of each serves them all.
    /// </summary>
    private sealed class SharedPages
    {
        private readonly PdfDocument document;
        private readonly PdfResources resources;
        private readonly PdfDictionary group;

        public SharedPages(PdfDocument document)
        {
            this.document = document;
            resources = new PdfResources(document);
            document.Internals.AddObject(resources);
            group = new PdfDictionary(document);
            group.Elements.SetName("/S", "/Transparency");
            group.Elements.SetName("/CS", "/DeviceRGB");
            document.Internals.AddObject(group);
        }

        public PdfPage Add()
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            page.Elements.SetReference("/Resources", resources);
            page.Elements.SetReference("/Group", group);
            return page;
        }
    }

    internal sealed class Fonts
    {
        public XFont Title { get; } = new(DeliveryFonts.Family, 18, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(DeliveryFonts.Family, 12, XFontStyleEx.Bold);
        public XFont Total { get; } = new(DeliveryFonts.Family, 16, XFontStyleEx.Bold);
        public XFont Body { get; } = new(DeliveryFonts.Family, 10, XFontStyleEx.Regular);
        public XFont BodyBold { get; } = new(DeliveryFonts.Family, 10, XFontStyleEx.Bold);
        public XFont Small { get; } = new(DeliveryFonts.Family, 7.5, XFontStyleEx.Regular);
        public XFont Cell { get; } = new(DeliveryFonts.Family, TableFontSize, XFontStyleEx.Regular);
        public XFont CellBold { get; } = new(DeliveryFonts.Family, TableFontSize, XFontStyleEx.Bold);
        public XFont PageTitle { get; } = new(DeliveryFonts.Family, 9, XFontStyleEx.Bold);
    }
}
