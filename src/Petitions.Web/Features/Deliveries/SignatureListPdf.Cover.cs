using Npgsql;
using Petitions.Web.Data.Sql;
using SkiaSharp;

namespace Petitions.Web.Features.Deliveries;

/// <summary>The cover: the petition, the delivery and the totals by country, flowing over as many pages as it needs.</summary>
public sealed partial class SignatureListPdf
{
    private static async Task<List<(string Country, int Count)>> CountriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PdfCover cover, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SignatureSql.CountriesConfirmedBy, connection, transaction);
        command.With(cover.PetitionId).WithTimestamp(cover.DeliveredAt);
        var result = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return result;
    }

    /// <summary>The cover's lines, page by page; drawn only once the table's pages are counted too.</summary>
    private static List<List<CoverLine>> LayOutCover(Typesetter type, PdfCover cover, List<(string Country, int Count)> countries)
    {
        var labels = type.Labels;
        var writer = new CoverWriter(type);
        var total = countries.Sum(c => c.Count);
        var date = labels.LongDate(cover.DeliveredAt);
        writer.Label(PdfLabels.Format(labels.CoverKicker, labels.Upper(date)), type.Small, grey: true, after: 8);
        writer.Own(cover.Title, type.Title, after: 10);
        if (cover.DecisionMakers.Count > 0)
        {
            writer.Label(PdfLabels.Format(labels.To, string.Join(labels.ListSeparator, cover.DecisionMakers)), type.Body, grey: false, after: 2);
        }

        writer.Label(PdfLabels.Format(labels.StartedBy, cover.StarterName), type.Body, grey: false, after: 2);
        var recipient = cover.RecipientTitle is { Length: > 0 } t ? PdfLabels.Format(labels.RecipientWithTitle, cover.RecipientName, t) : cover.RecipientName;
        writer.Label(PdfLabels.Format(labels.DeliveredTo, recipient, date, cover.SiteName), type.Body, grey: false, after: 14);

        writer.Label(labels.ConfirmedSignatures(total), type.Total, grey: false, after: 4);
        if (countries.Count > 0)
        {
            var top = countries.Take(10).Select(c => PdfLabels.Format(labels.CountryCount, labels.CountryName(c.Country), labels.Number(c.Count)));
            var more = countries.Count > 10 ? labels.MoreCountries(countries.Count - 10) : "";
            writer.Label(PdfLabels.Format(labels.FromCountries, labels.Countries(countries.Count), string.Join(labels.CountrySeparator, top), more),
                type.Body, grey: false, after: 6);
        }

        writer.Label(labels.Assurance, type.Small, grey: true, after: cover.MerkleRoot is null ? 16 : 6);
        if (cover.MerkleRoot is { } root)
        {
            writer.Label(labels.MerkleRoot, type.Small, grey: true, after: 2);
            writer.Label(Convert.ToHexStringLower(root), type.Small, grey: false, after: 16);
        }

        writer.Label(labels.OrganizerMessage, type.Heading, grey: false, after: 4);
        writer.Own(cover.CoverMessage, type.Body, after: 16);

        writer.Label(labels.ThePetition, type.Heading, grey: false, after: 4);
        foreach (var block in Markdig.Markdown.Parse(cover.BodyMarkdown))
        {
            var text = Markdig.Markdown.ToPlainText(cover.BodyMarkdown.Substring(block.Span.Start, block.Span.Length)).Trim();
            if (text.Length > 0)
            {
                writer.Own(text, block is Markdig.Syntax.HeadingBlock ? type.BodyBold : type.Body, after: 6);
            }
        }

        writer.Space(6);
        writer.Label(PdfLabels.Format(labels.Online, cover.PetitionUrl), type.Small, grey: true, after: 0);
        return writer.Pages;
    }

    private static void DrawCoverPage(SKDocument document, Typesetter type, List<CoverLine> lines, Footer footer, int number)
    {
        var canvas = document.BeginPage(PageWidth, PageHeight);
        using var batch = new TextBatch();
        foreach (var group in lines.GroupBy(line => line.Grey))
        {
            foreach (var line in group)
            {
                var width = type.Text.Measure(line.Text, line.Style, line.RightToLeft);
                type.Text.Draw(batch, line.Text, line.Style, line.RightToLeft ? PageWidth - Margin - width : Margin, line.Baseline, line.RightToLeft);
            }

            batch.DrawTo(canvas, group.Key ? type.GreyInk : type.Ink);
        }

        footer.Draw(canvas, number);
        document.EndPage();
    }

    /// <summary>One line of the cover, at the start of its paragraph's direction (the right edge for right to left).</summary>
    private sealed record CoverLine(string Text, TextStyle Style, bool Grey, float Baseline, bool RightToLeft);

    /// <summary>Flowing text over as many pages as it needs.</summary>
    private sealed class CoverWriter(Typesetter type)
    {
        private const float Width = PageWidth - 2 * Margin;
        private const float Bottom = PageHeight - FooterSpace;

        private float y = Margin;

        public List<List<CoverLine>> Pages { get; } = [[]];

        /// <summary>A text of the labels' language, in its direction.</summary>
        public void Label(string text, TextStyle style, bool grey, float after) => Text(text, style, grey, type.Labels.RightToLeft, after);

        /// <summary>A text of the petition's own, in the direction of its first letter.</summary>
        public void Own(string text, TextStyle style, float after) => Text(text, style, grey: false, type.DirectionOf(text), after);

        public void Space(float points) => y += points;

        private void Text(string text, TextStyle style, bool grey, bool rightToLeft, float after)
        {
            foreach (var line in type.Text.Wrap(text, style, Width, rightToLeft: rightToLeft))
            {
                if (y + style.LineHeight > Bottom)
                {
                    Pages.Add([]);
                    y = Margin;
                }

                Pages[^1].Add(new CoverLine(line, style, grey, y + style.Size, rightToLeft));
                y += style.LineHeight;
            }

            y += after;
        }
    }
}
