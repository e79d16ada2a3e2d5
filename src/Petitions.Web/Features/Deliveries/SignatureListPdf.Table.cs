using System.Globalization;
using Npgsql;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

public sealed partial class SignatureListPdf
{
    // #, name, postcode or city, country, signed, reason: 515 points across an A4 page between the margins.
    private static readonly double[] Widths = [36, 112, 76, 72, 52, 137];
    private static readonly string[] Headings = ["#", "Name", "Postcode or city", "Country", "Signed", "Reason"];

    /// <summary>
    /// How many pages the table will take: the rows laid out as <see cref="TableWriter"/> lays them out, without
    /// drawing them. Only a row's reason changes its height; the same query in the same snapshot gives the same rows
    /// in the same order.
    /// </summary>
    private static async Task<int> CountTablePagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PdfCover cover,
        XGraphics measure, Fonts fonts, CancellationToken cancellationToken)
    {
        var layout = new TableLayout();
        await using var command = SignatureRows.ReasonsCommand(connection, transaction, cover.PetitionId, cover.DeliveredAt);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            layout.Place(RowHeight(ReasonLines(measure, fonts, SignatureRows.ReadReason(reader, 0)).Count));
        }

        // An empty list still has its page, saying so.
        return Math.Max(layout.Pages, 1);
    }

    private static List<string> ReasonLines(XGraphics measure, Fonts fonts, string? reason) =>
        reason is null ? [] : Wrap(measure, Clean(reason), fonts.Cell, Widths[5], MaxReasonLines);

    private static double RowHeight(int reasonLines) => Math.Max(1, reasonLines) * RowLine + RowPadding;

    private static string Clean(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');

    /// <summary>Where the table's rows go down the pages, for the pass that counts the pages and the one that draws them.</summary>
    private struct TableLayout
    {
        // Below the page's title line and the column headings with their rule.
        public const double TitleBaseline = Margin + 9;
        public const double HeadingBaseline = Margin + 22 + TableFontSize + 1;
        public const double HeadingRule = Margin + 22 + RowLine + 2;
        public const double Top = HeadingRule + 3;

        private static readonly double Bottom = A4.Height - FooterSpace;

        public int Pages { get; private set; }

        /// <summary>The bottom of the last row placed.</summary>
        public double Y { get; private set; }

        /// <summary>Places a row; true when it starts a new page.</summary>
        public bool Place(double height)
        {
            var newPage = Pages == 0 || Y + height > Bottom;
            if (newPage)
            {
                Pages++;
                Y = Top;
            }

            Y += height;
            return newPage;
        }
    }

    /// <summary>The numbered table of signatures, a page at a time, each page finished (footer, compression, spill) when full.</summary>
    private sealed class TableWriter(SharedPages pages, Fonts fonts, XGraphics measure, string title, Footer footer, int pagesBefore,
        PdfContentSpill spill) : IDisposable
    {
        private readonly XSolidBrush ink = new(XColors.Black);

        // Countries and days repeat from row to row, so each is measured and cut to fit once.
        private readonly Dictionary<string, string> countries = new(StringComparer.Ordinal);
        private DateTime? day;
        private string dayText = "";

        private string? fittedTitle;
        private TableLayout layout;
        private PdfPage? page;
        private XGraphics? gfx;
        private int pageNumber;

        public int Rows { get; private set; }

        public void Add(SignatureRow row)
        {
            var reason = ReasonLines(measure, fonts, row.Reason);
            var height = RowHeight(reason.Count);
            if (layout.Place(height))
            {
                NewPage();
            }

            Rows++;
            var bottom = layout.Y;
            var baseline = bottom - height + TableFontSize + 1;
            var x = Margin;
            var number = Number(Rows);
            gfx!.DrawString(number, fonts.Cell, ink, x + Widths[0] - measure.MeasureString(number, fonts.Cell).Width, baseline);
            x += Widths[0] + Gap;
            Cell(Fit(measure, Clean(row.Name), fonts.Cell, Widths[1]), ref x, 1, baseline);
            Cell(Fit(measure, Clean(row.PostcodeOrCity), fonts.Cell, Widths[2]), ref x, 2, baseline);
            if (!countries.TryGetValue(row.Country, out var country))
            {
                country = Fit(measure, Countries.NameOf(row.Country), fonts.Cell, Widths[3]);
                countries.Add(row.Country, country);
            }

            Cell(country, ref x, 3, baseline);
            Cell(row.SignedAt is { } at ? Signed(at.UtcDateTime.Date) : "", ref x, 4, baseline);
            for (var i = 0; i < reason.Count; i++)
            {
                gfx.DrawString(reason[i], fonts.Cell, ink, x, baseline + i * RowLine);
            }

            gfx.DrawLine(RowRule, Margin, bottom - RowPadding / 2, A4.Width - Margin, bottom - RowPadding / 2);
        }

        public void Empty()
        {
            layout.Place(RowLine);
            NewPage();
            gfx!.DrawString("No confirmed signatures yet.", fonts.Cell, ink, Margin, TableLayout.Top + TableFontSize);
        }

        /// <summary>Draws text already cut to the column's width.</summary>
        private void Cell(string text, ref double x, int column, double baseline)
        {
            if (text.Length > 0)
            {
                gfx!.DrawString(text, fonts.Cell, ink, x, baseline);
            }

            x += Widths[column] + Gap;
        }

        private string Signed(DateTime date)
        {
            if (day != date)
            {
                day = date;
                dayText = Fit(measure, date.ToString("d MMM yyyy", CultureInfo.InvariantCulture), fonts.Cell, Widths[4]);
            }

            return dayText;
        }

        private void NewPage()
        {
            FinishPage();
            page = pages.Add();
            pageNumber = pagesBefore + layout.Pages;
            gfx = XGraphics.FromPdfPage(page);
            var right = A4.Width - Margin;
            fittedTitle ??= Fit(measure, title, fonts.PageTitle, right - Margin - 80);
            gfx.DrawString(fittedTitle, fonts.PageTitle, ink, Margin, TableLayout.TitleBaseline);
            var label = "Signatures";
            gfx.DrawString(label, fonts.PageTitle, ink, right - measure.MeasureString(label, fonts.PageTitle).Width, TableLayout.TitleBaseline);

            var x = Margin;
            for (var i = 0; i < Headings.Length; i++)
            {
                var heading = Headings[i];
                var at = i == 0 ? x + Widths[0] - measure.MeasureString(heading, fonts.CellBold).Width : x;
                gfx.DrawString(heading, fonts.CellBold, ink, at, TableLayout.HeadingBaseline);
                x += Widths[i] + Gap;
            }

            gfx.DrawLine(HeaderRule, Margin, TableLayout.HeadingRule, right, TableLayout.HeadingRule);
        }

        private void FinishPage()
        {
            if (gfx is not null)
            {
                footer.Draw(gfx, pageNumber);
                gfx.Dispose();
                gfx = null;
                Compress(page!);
                spill.Add(page!);
            }
        }

        public void Dispose() => FinishPage();
    }
}
