using Npgsql;
using Petitions.Web.Features.Common;
using SkiaSharp;

namespace Petitions.Web.Features.Deliveries;

public sealed partial class SignatureListPdf
{
    // #, name, postcode or city, country, signed, reason: 515 points across an A4 page between the margins.
    private static readonly float[] Widths = [36, 112, 76, 72, 52, 137];

    /// <summary>
    /// How many pages the table will take: the rows laid out as <see cref="TableWriter"/> lays them out, without
    /// drawing them. Only a row's reason changes its height; the same query in the same snapshot gives the same rows
    /// in the same order.
    /// </summary>
    private static async Task<int> CountTablePagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PdfCover cover,
        SignatureListView view, Typesetter type, CancellationToken cancellationToken)
    {
        var layout = new TableLayout();
        await using var command = SignatureRows.ReasonsCommand(connection, transaction, cover.PetitionId, cover.DeliveredAt);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            layout.Place(RowHeight(ReasonLines(type, SignatureRows.ReadReason(reader, view), out _).Count));
        }

        // An empty list still has its page, saying so.
        return Math.Max(layout.Pages, 1);
    }

    private static List<string> ReasonLines(Typesetter type, string? reason, out bool rightToLeft)
    {
        if (reason is null)
        {
            rightToLeft = false;
            return [];
        }

        var text = Clean(reason);
        rightToLeft = type.DirectionOf(text);
        return type.Text.Wrap(text, type.Cell, Widths[5], MaxReasonLines, rightToLeft);
    }

    private static float RowHeight(int reasonLines) => Math.Max(1, reasonLines) * RowLine + RowPadding;

    private static string Clean(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');

    /// <summary>Where the table's rows go down the pages, for the pass that counts the pages and the one that draws them.</summary>
    private struct TableLayout
    {
        // Below the page's title line and the column headings with their rule.
        public const float TitleBaseline = Margin + 9;
        public const float HeadingBaseline = Margin + 22 + TableFontSize + 1;
        public const float HeadingRule = Margin + 22 + RowLine + 2;
        public const float Top = HeadingRule + 3;

        private const float Bottom = PageHeight - FooterSpace;

        public int Pages { get; private set; }

        /// <summary>The bottom of the last row placed.</summary>
        public float Y { get; private set; }

        /// <summary>Places a row; true when it starts a new page.</summary>
        public bool Place(float height)
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

    /// <summary>
    /// The numbered table of signatures, a page at a time, each page finished (its footer drawn, then written out by
    /// Skia) when full. With right-to-left labels the columns run from the right edge and each cell is aligned right.
    /// </summary>
    private sealed class TableWriter : IDisposable
    {
        private readonly SKDocument document;
        private readonly Typesetter type;
        private readonly string title;
        private readonly Footer footer;
        private readonly int pagesBefore;
        private readonly float[] lefts = new float[Widths.Length];
        private readonly bool rtl;
        private readonly TextBatch batch = new();

        // Countries and days repeat from row to row, so each is measured and cut to fit once.
        private readonly Dictionary<string, (string Text, float Width)> countries = new(StringComparer.Ordinal);
        private DateTime? day;
        private (string Text, float Width, bool RightToLeft) dayText;

        private string? fittedTitle;
        private TableLayout layout;
        private SKCanvas? canvas;

        public TableWriter(SKDocument document, Typesetter type, string title, Footer footer, int pagesBefore)
        {
            this.document = document;
            this.type = type;
            this.title = title;
            this.footer = footer;
            this.pagesBefore = pagesBefore;
            rtl = type.Labels.RightToLeft;
            var offset = 0f;
            for (var i = 0; i < Widths.Length; i++)
            {
                lefts[i] = rtl ? PageWidth - Margin - offset - Widths[i] : Margin + offset;
                offset += Widths[i] + Gap;
            }
        }

        public int Rows { get; private set; }

        /// <summary>The number of the last page drawn, counting the cover's.</summary>
        public int LastPage => pagesBefore + layout.Pages;

        public void Add(SignatureRow row)
        {
            var reason = ReasonLines(type, row.Reason, out var reasonRtl);
            var height = RowHeight(reason.Count);
            if (layout.Place(height))
            {
                NewPage();
            }

            Rows++;
            var bottom = layout.Y;
            var baseline = bottom - height + TableFontSize + 1;
            var text = type.Text;
            var cell = type.Cell;

            // The row's number ends at the edge next to the names, whichever side that is.
            var number = type.Labels.Number(Rows);
            var numberWidth = text.Measure(number, cell);
            text.Draw(batch, number, cell, rtl ? lefts[0] : lefts[0] + Widths[0] - numberWidth, baseline);

            Cell(Clean(row.Name), 1, baseline);
            Cell(Clean(row.PostcodeOrCity), 2, baseline);
            if (!countries.TryGetValue(row.Country, out var country))
            {
                var name = type.Labels.CountryName(row.Country);
                var fitted = text.Fit(name, cell, Widths[3], type.DirectionOf(name));
                country = (fitted, text.Measure(fitted, cell, type.DirectionOf(name)));
                countries.Add(row.Country, country);
            }

            Place(country.Text, country.Width, 3, baseline, type.DirectionOf(country.Text));
            if (row.SignedAt is { } at)
            {
                var signed = Signed(at.UtcDateTime.Date);
                Place(signed.Text, signed.Width, 4, baseline, signed.RightToLeft);
            }

            for (var i = 0; i < reason.Count; i++)
            {
                var width = text.Measure(reason[i], cell, reasonRtl);
                Place(reason[i], width, 5, baseline + i * RowLine, reasonRtl);
            }

            batch.DrawTo(canvas!, type.Ink);
            canvas!.DrawLine(Margin, bottom - RowPadding / 2, PageWidth - Margin, bottom - RowPadding / 2, type.RowRule);
        }

        public void Empty()
        {
            layout.Place(RowLine);
            NewPage();
            var label = type.Labels.NoSignatures;
            var width = type.Text.Measure(label, type.Cell, rtl);
            type.Text.Draw(batch, label, type.Cell, rtl ? PageWidth - Margin - width : Margin, TableLayout.Top + TableFontSize, rtl);
            batch.DrawTo(canvas!, type.Ink);
        }

        /// <summary>Ends the last page.</summary>
        public void Finish()
        {
            if (canvas is not null)
            {
                footer.Draw(canvas, LastPage);
                document.EndPage();
                canvas = null;
            }
        }

        public void Dispose() => batch.Dispose();

        /// <summary>Draws a signer's text, cut to the column's width.</summary>
        private void Cell(string value, int column, float baseline)
        {
            if (value.Length == 0)
            {
                return;
            }

            var direction = type.DirectionOf(value);
            var fitted = type.Text.Fit(value, type.Cell, Widths[column], direction);
            Place(fitted, type.Text.Measure(fitted, type.Cell, direction), column, baseline, direction);
        }

        /// <summary>Draws text already cut to fit at the column's start: its left edge, or its right one in a right-to-left table.</summary>
        private void Place(string value, float width, int column, float baseline, bool valueRtl)
        {
            if (value.Length > 0)
            {
                type.Text.Draw(batch, value, type.Cell, rtl ? lefts[column] + Widths[column] - width : lefts[column], baseline, valueRtl);
            }
        }

        private (string Text, float Width, bool RightToLeft) Signed(DateTime date)
        {
            if (day != date)
            {
                day = date;
                var text = type.Labels.ShortDate(date);
                var direction = type.DirectionOf(text);
                var fitted = type.Text.Fit(text, type.Cell, Widths[4], direction);
                dayText = (fitted, type.Text.Measure(fitted, type.Cell, direction), direction);
            }

            return dayText;
        }

        private void NewPage()
        {
            if (canvas is not null)
            {
                footer.Draw(canvas, pagesBefore + layout.Pages - 1);
                document.EndPage();
            }

            canvas = document.BeginPage(PageWidth, PageHeight);
            var text = type.Text;
            var labels = type.Labels;
            var titleRtl = type.DirectionOf(title);
            fittedTitle ??= text.Fit(title, type.PageTitle, PageWidth - 2 * Margin - 80, titleRtl);
            var titleWidth = text.Measure(fittedTitle, type.PageTitle, titleRtl);
            text.Draw(batch, fittedTitle, type.PageTitle, rtl ? PageWidth - Margin - titleWidth : Margin, TableLayout.TitleBaseline, titleRtl);
            var signatures = labels.Signatures;
            var signaturesWidth = text.Measure(signatures, type.PageTitle, rtl);
            text.Draw(batch, signatures, type.PageTitle, rtl ? Margin : PageWidth - Margin - signaturesWidth, TableLayout.TitleBaseline, rtl);

            string[] headings = [labels.NumberColumn, labels.NameColumn, labels.PlaceColumn, labels.CountryColumn, labels.SignedColumn, labels.ReasonColumn];
            for (var i = 0; i < headings.Length; i++)
            {
                var heading = text.Fit(headings[i], type.CellBold, Widths[i], rtl);
                var width = text.Measure(heading, type.CellBold, rtl);
                // The number's heading sits over the numbers, at the column's end; the others at its start.
                var atEnd = (i == 0) != rtl;
                text.Draw(batch, heading, type.CellBold, atEnd ? lefts[i] + Widths[i] - width : lefts[i], TableLayout.HeadingBaseline, rtl);
            }

            batch.DrawTo(canvas, type.Ink);
            canvas.DrawLine(Margin, TableLayout.HeadingRule, PageWidth - Margin, TableLayout.HeadingRule, type.HeaderRule);
        }
    }
}
