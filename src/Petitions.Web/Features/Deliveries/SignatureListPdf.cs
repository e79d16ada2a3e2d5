using System.Data;
using System.Globalization;
using Npgsql;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
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
/// Rows stream from a data reader; each finished page's content is compressed at once, because PDFsharp keeps the
/// whole document until it is saved. What remains per page is a few kilobytes, not the rows.
/// </summary>
public sealed class SignatureListPdf(NpgsqlDataSource dataSource)
{
    private const double Margin = 40;
    private const double FooterSpace = 44;
    private const double TableFontSize = 8;
    private const double RowLine = 10;
    private const double RowPadding = 4;
    private const int MaxReasonLines = 3;
    private const double Gap = 6;

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

    /// <summary>Writes the PDF to <paramref name="output"/> (which must be seekable) and returns the number of signatures listed.</summary>
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
        using (var writer = new PageWriter(document, fonts))
        {
            DrawCover(writer, cover, countries);
        }

        int rows;
        using (var table = new TableWriter(document, fonts, cover.Title))
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
        NumberPages(document, fonts, cover);
        document.Save(output, closeStream: false);
        return rows;
    }

    private static async Task<List<(string Country, int Count)>> CountriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PdfCover cover, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT country, count(*)::int FROM signatures
            WHERE petition_id = $1 AND state = 'Confirmed' AND confirmed_at <= $2
            GROUP BY country ORDER BY 2 DESC, 1
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cover.PetitionId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cover.DeliveredAt.ToUniversalTime() });
        var result = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return result;
    }

    private static void DrawCover(PageWriter writer, PdfCover cover, List<(string Country, int Count)> countries)
    {
        var total = countries.Sum(c => c.Count);
        var fonts = writer.Fonts;
        writer.Text($"PETITION · DELIVERED {Date(cover.DeliveredAt).ToUpperInvariant()}", fonts.Small, Grey, after: 8);
        writer.Text(cover.Title, fonts.Title, XColors.Black, after: 10);
        if (cover.DecisionMakers.Count > 0)
        {
            writer.Text("To: " + string.Join("; ", cover.DecisionMakers), fonts.Body, XColors.Black, after: 2);
        }

        writer.Text($"Started by {cover.StarterName}", fonts.Body, XColors.Black, after: 2);
        var recipient = cover.RecipientTitle is { Length: > 0 } t ? $"{cover.RecipientName}, {t}" : cover.RecipientName;
        writer.Text($"Delivered to {recipient} on {Date(cover.DeliveredAt)} through {cover.SiteName}.", fonts.Body, XColors.Black, after: 14);

        writer.Text(total == 1 ? "1 confirmed signature" : $"{Number(total)} confirmed signatures", fonts.Total, XColors.Black, after: 4);
        if (countries.Count > 0)
        {
            var top = countries.Take(10).Select(c => $"{Countries.NameOf(c.Country)} {Number(c.Count)}");
            var more = countries.Count > 10 ? $" and {countries.Count - 10} more" : "";
            writer.Text($"From {(countries.Count == 1 ? "1 country" : $"{countries.Count} countries")}: {string.Join(" · ", top)}{more}.", fonts.Body, XColors.Black, after: 6);
        }

        writer.Text(
            "Every signature was confirmed by its signer through a link sent by email. The list includes people who asked not to be " +
            "shown on the petition page, because their signatures count too. Email addresses are never shared.",
            fonts.Small, Grey, after: 16);

        writer.Text("Message from the organizer", fonts.Heading, XColors.Black, after: 4);
        writer.Text(cover.CoverMessage, fonts.Body, XColors.Black, after: 16);

        writer.Text("The petition", fonts.Heading, XColors.Black, after: 4);
        foreach (var block in Markdig.Markdown.Parse(cover.BodyMarkdown))
        {
            var text = Markdig.Markdown.ToPlainText(cover.BodyMarkdown.Substring(block.Span.Start, block.Span.Length)).Trim();
            if (text.Length > 0)
            {
                writer.Text(text, block is Markdig.Syntax.HeadingBlock ? fonts.BodyBold : fonts.Body, XColors.Black, after: 6);
            }
        }

        writer.Space(6);
        writer.Text($"Online: {cover.PetitionUrl}", fonts.Small, Grey, after: 0);
    }

    /// <summary>"Page N of M" on every page, once M is known; each addition is a small extra content stream.</summary>
    private static void NumberPages(PdfDocument document, Fonts fonts, PdfCover cover)
    {
        var count = document.PageCount;
        var brush = new XSolidBrush(Grey);
        for (var i = 0; i < count; i++)
        {
            var page = document.Pages[i];
            using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                var y = page.Height.Point - Margin + 12;
                var label = $"Page {Number(i + 1)} of {Number(count)}";
                var width = gfx.MeasureString(label, fonts.Small).Width;
                var right = page.Width.Point - Margin;
                gfx.DrawString(label, fonts.Small, brush, right - width, y);
                gfx.DrawString(Fit(gfx, $"{cover.Title} · delivered {Date(cover.DeliveredAt)}", fonts.Small, right - width - Margin - 20), fonts.Small, brush, Margin, y);
            }

            Compress(page);
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
            for (var w = 0; w < words.Length; w++)
            {
                var word = words[w];
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
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
                while (gfx.MeasureString(word, font).Width > width)
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
                }

                line = word;
            }

            lines.Add(line);
            if (lines.Count >= maxLines)
            {
                return lines;
            }
        }

        return lines;
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

    /// <summary>Flowing text over as many pages as it needs.</summary>
    private sealed class PageWriter(PdfDocument document, Fonts fonts) : IDisposable
    {
        private PdfPage? page;
        private XGraphics? gfx;
        private double y;

        public Fonts Fonts => fonts;

        private double Width => page!.Width.Point - 2 * Margin;

        private double Bottom => page!.Height.Point - FooterSpace;

        public void Text(string text, XFont font, XColor color, double after)
        {
            EnsurePage();
            var brush = new XSolidBrush(color);
            var lineHeight = font.GetHeight();
            foreach (var line in Wrap(gfx!, text, font, Width))
            {
                if (y + lineHeight > Bottom)
                {
                    NewPage();
                }

                gfx!.DrawString(line, font, brush, Margin, y + font.Size);
                y += lineHeight;
            }

            y += after;
        }

        public void Space(double points) => y += points;

        private void EnsurePage()
        {
            if (gfx is null)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            FinishPage();
            page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
        }

        private void FinishPage()
        {
            if (gfx is not null)
            {
                gfx.Dispose();
                gfx = null;
                Compress(page!);
            }
        }

        public void Dispose() => FinishPage();
    }

    /// <summary>The numbered table of signatures, a page at a time.</summary>
    private sealed class TableWriter(PdfDocument document, Fonts fonts, string title) : IDisposable
    {
        // #, name, postcode or city, country, signed, reason: 515 points across an A4 page between the margins.
        private static readonly double[] Widths = [36, 112, 76, 72, 52, 137];
        private static readonly string[] Headings = ["#", "Name", "Postcode or city", "Country", "Signed", "Reason"];

        private readonly XSolidBrush ink = new(XColors.Black);
        private PdfPage? page;
        private XGraphics? gfx;
        private double y;

        public int Rows { get; private set; }

        public void Add(SignatureRow row)
        {
            if (gfx is null)
            {
                NewPage();
            }

            var reason = row.Reason is null ? [] : Wrap(gfx!, Clean(row.Reason), fonts.Cell, Widths[5], MaxReasonLines);
            var height = Math.Max(1, reason.Count) * RowLine + RowPadding;
            if (y + height > page!.Height.Point - FooterSpace)
            {
                NewPage();
            }

            Rows++;
            var baseline = y + TableFontSize + 1;
            var x = Margin;
            var number = Number(Rows);
            gfx!.DrawString(number, fonts.Cell, ink, x + Widths[0] - gfx.MeasureString(number, fonts.Cell).Width, baseline);
            x += Widths[0] + Gap;
            Cell(Clean(row.Name), ref x, 1, baseline);
            Cell(Clean(row.PostcodeOrCity), ref x, 2, baseline);
            Cell(Countries.NameOf(row.Country), ref x, 3, baseline);
            Cell(row.SignedAt?.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "", ref x, 4, baseline);
            for (var i = 0; i < reason.Count; i++)
            {
                gfx.DrawString(reason[i], fonts.Cell, ink, x, baseline + i * RowLine);
            }

            y += height;
            gfx.DrawLine(RowRule, Margin, y - RowPadding / 2, page.Width.Point - Margin, y - RowPadding / 2);
        }

        public void Empty()
        {
            NewPage();
            gfx!.DrawString("No confirmed signatures yet.", fonts.Cell, ink, Margin, y + TableFontSize);
        }

        private void Cell(string text, ref double x, int column, double baseline)
        {
            gfx!.DrawString(Fit(gfx, text, fonts.Cell, Widths[column]), fonts.Cell, ink, x, baseline);
            x += Widths[column] + Gap;
        }

        private static string Clean(string text) =>
            text.ReplaceLineEndings(" ").Replace('\t', ' ');

        private void NewPage()
        {
            FinishPage();
            page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            var right = page.Width.Point - Margin;
            y = Margin;
            gfx.DrawString(Fit(gfx, title, fonts.PageTitle, right - Margin - 80), fonts.PageTitle, ink, Margin, y + 9);
            var label = "Signatures";
            gfx.DrawString(label, fonts.PageTitle, ink, right - gfx.MeasureString(label, fonts.PageTitle).Width, y + 9);
            y += 22;

            var x = Margin;
            var baseline = y + TableFontSize + 1;
            for (var i = 0; i < Headings.Length; i++)
            {
                var heading = Headings[i];
                var at = i == 0 ? x + Widths[0] - gfx.MeasureString(heading, fonts.CellBold).Width : x;
                gfx.DrawString(heading, fonts.CellBold, ink, at, baseline);
                x += Widths[i] + Gap;
            }

            y += RowLine + 2;
            gfx.DrawLine(HeaderRule, Margin, y, right, y);
            y += 3;
        }

        private void FinishPage()
        {
            if (gfx is not null)
            {
                gfx.Dispose();
                gfx = null;
                Compress(page!);
            }
        }

        public void Dispose() => FinishPage();
    }
}
