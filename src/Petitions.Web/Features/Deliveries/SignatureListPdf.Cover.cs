using Npgsql;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

/// <summary>The cover: the petition, the delivery and the totals by country, flowing over as many pages as it needs.</summary>
public sealed partial class SignatureListPdf
{
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

    /// <summary>Flowing text over as many pages as it needs.</summary>
    private sealed class PageWriter(SharedPages pages, Fonts fonts) : IDisposable
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
            page = pages.Add();
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
}
