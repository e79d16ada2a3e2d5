using System.Data;
using Npgsql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Common;
using SkiaSharp;

namespace Petitions.Web.Features.Deliveries;

/// <summary>What the PDF says about the petition and the delivery, besides the signatures; in English unless <paramref name="Labels"/> says otherwise.</summary>
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
    string SiteName,
    PdfLabels? Labels = null,
    byte[]? MerkleRoot = null,
    bool FullListReleased = false);

/// <summary>
/// The printable signature list: a cover with the petition and its totals, then a numbered table of every signature
/// confirmed by the delivery, with the column headings on every page and "Page N of M" at the foot. It is drawn with
/// Skia's PDF backend, which writes each page to the output as soon as it is finished and embeds only the glyphs
/// used; the text is shaped with HarfBuzz (see <see cref="PdfText"/>), so Persian, Arabic and Hebrew names are
/// joined and right to left. Rows stream from a data reader. Because a finished page cannot be changed, the number
/// of pages is known before the first is drawn: the table's pages are counted in a pass that lays the rows out
/// without drawing them, and the cover is laid out in full before it is drawn.
/// </summary>
public sealed partial class SignatureListPdf(NpgsqlDataSource dataSource, ProtectedFields protectedFields)
{
    private const float PageWidth = 595.28f;
    private const float PageHeight = 841.89f;
    private const float Margin = 40;
    private const float FooterSpace = 44;
    private const float TableFontSize = 8;
    private const float RowLine = 10;
    private const float RowPadding = 4;
    private const int MaxReasonLines = 3;
    private const float Gap = 6;

    private static readonly SKColor Grey = new(0x50, 0x5a, 0x5f);

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
        var view = await SignatureListView.LoadAsync(protectedFields, connection, transaction, cover.PetitionId, recipient: true, cancellationToken, cover.FullListReleased);

        using var type = new Typesetter(cover.Labels ?? PdfLabels.English);
        var tablePages = await CountTablePagesAsync(connection, transaction, cover, view, type, cancellationToken);
        var coverPages = LayOutCover(type, cover, countries);
        var footer = new Footer(type, cover, coverPages.Count + tablePages);

        var metadata = new SKDocumentPdfMetadata
        {
            Title = PdfLabels.Format(type.Labels.DocumentTitle, cover.Title),
            Creator = cover.SiteName,
            Producer = cover.SiteName,
        };
        using var document = SKDocument.CreatePdf(output, metadata)
            ?? throw new InvalidOperationException("Skia could not start a PDF document.");
        try
        {
            for (var i = 0; i < coverPages.Count; i++)
            {
                DrawCoverPage(document, type, coverPages[i], footer, i + 1);
            }

            int rows;
            using var table = new TableWriter(document, type, cover.Title, footer, coverPages.Count);
            await using (var command = SignatureRows.Command(connection, transaction, cover.PetitionId, cover.DeliveredAt))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    table.Add(SignatureRows.Read(reader, view));
                }
            }

            if (table.Rows == 0)
            {
                table.Empty();
            }

            table.Finish();
            rows = table.Rows;
            await transaction.CommitAsync(cancellationToken);
            if (table.LastPage != footer.PageCount)
            {
                throw new InvalidOperationException($"The table took {table.LastPage - coverPages.Count} pages, not the {tablePages} counted for the page numbers.");
            }

            document.Close();
            await output.FlushAsync(cancellationToken);
            return rows;
        }
        catch
        {
            document.Abort();
            throw;
        }
    }

    /// <summary>"Page N of M" at the end of the foot of a page, and the petition's title and date at its start.</summary>
    private sealed class Footer(Typesetter type, PdfCover cover, int pageCount)
    {
        private readonly string caption = PdfLabels.Format(type.Labels.FooterCaption, cover.Title, type.Labels.LongDate(cover.DeliveredAt));
        private float captionRoom = -1;
        private string fittedCaption = "";

        public int PageCount => pageCount;

        public void Draw(SKCanvas canvas, int number)
        {
            var labels = type.Labels;
            var rtl = labels.RightToLeft;
            var y = PageHeight - Margin + 12;
            var label = PdfLabels.Format(labels.PageOf, labels.Number(number), labels.Number(pageCount));
            var width = type.Text.Measure(label, type.Small, rtl);
            // The caption's room changes only with the width of the label: cut it to fit once per width.
            var room = PageWidth - 2 * Margin - width - 20;
            if (room != captionRoom)
            {
                captionRoom = room;
                fittedCaption = type.Text.Fit(caption, type.Small, room, rtl);
            }

            using var batch = new TextBatch();
            type.Text.Draw(batch, label, type.Small, rtl ? Margin : PageWidth - Margin - width, y, rtl);
            var captionWidth = type.Text.Measure(fittedCaption, type.Small, rtl);
            type.Text.Draw(batch, fittedCaption, type.Small, rtl ? PageWidth - Margin - captionWidth : Margin, y, rtl);
            batch.DrawTo(canvas, type.GreyInk);
        }
    }

    /// <summary>The labels, the shaper, the styles and the paints of one document.</summary>
    private sealed class Typesetter : IDisposable
    {
        private readonly List<IDisposable> owned = [];

        public Typesetter(PdfLabels labels)
        {
            Labels = labels;
            var fonts = DeliveryFonts.Shared;
            Title = Own(new TextStyle(fonts.Bold, 18));
            Heading = Own(new TextStyle(fonts.Bold, 12));
            Total = Own(new TextStyle(fonts.Bold, 16));
            Body = Own(new TextStyle(fonts.Regular, 10));
            BodyBold = Own(new TextStyle(fonts.Bold, 10));
            Small = Own(new TextStyle(fonts.Regular, 7.5f));
            Cell = Own(new TextStyle(fonts.Regular, TableFontSize));
            CellBold = Own(new TextStyle(fonts.Bold, TableFontSize));
            PageTitle = Own(new TextStyle(fonts.Bold, 9));
            Ink = Own(new SKPaint { Color = SKColors.Black, IsAntialias = true });
            GreyInk = Own(new SKPaint { Color = Grey, IsAntialias = true });
            RowRule = Own(new SKPaint { Color = new SKColor(0xd0, 0xd4, 0xd7), StrokeWidth = 0.4f, Style = SKPaintStyle.Stroke });
            HeaderRule = Own(new SKPaint { Color = SKColors.Black, StrokeWidth = 0.8f, Style = SKPaintStyle.Stroke });
        }

        public PdfLabels Labels { get; }

        public PdfText Text { get; } = new();

        public TextStyle Title { get; }

        public TextStyle Heading { get; }

        public TextStyle Total { get; }

        public TextStyle Body { get; }

        public TextStyle BodyBold { get; }

        public TextStyle Small { get; }

        public TextStyle Cell { get; }

        public TextStyle CellBold { get; }

        public TextStyle PageTitle { get; }

        public SKPaint Ink { get; }

        public SKPaint GreyInk { get; }

        public SKPaint RowRule { get; }

        public SKPaint HeaderRule { get; }

        /// <summary>The direction of a text of the petition's or a signer's: its own, or the labels' when it has no letters.</summary>
        public bool DirectionOf(string text) => Bidi.IsRightToLeft(text, Labels.RightToLeft);

        public void Dispose()
        {
            Text.Dispose();
            foreach (var item in owned)
            {
                item.Dispose();
            }
        }

        private T Own<T>(T item)
            where T : IDisposable
        {
            owned.Add(item);
            return item;
        }
    }
}
