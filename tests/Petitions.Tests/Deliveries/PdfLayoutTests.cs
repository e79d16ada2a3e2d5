using Petitions.Web.Features.Deliveries;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// The PDF's word wrap measures each word once and adds the widths up; it breaks lines exactly where measuring every
/// longer line would, and the page count of a list is computed from it.
/// </summary>
public sealed class PdfLayoutTests
{
    [Fact]
    public void Wrap_RandomTexts_BreaksWhereMeasuringEachLineWould()
    {
        using var text = new PdfText();
        using var cell = new TextStyle(DeliveryFonts.Shared.Regular, 8);
        using var body = new TextStyle(DeliveryFonts.Shared.Regular, 10);
        const string letters = "abcdefghijklmnopqrstuvwxyz WAVE éüß ΩЖ ,.()…-";
        var random = new Random(20261124);
        for (var i = 0; i < 3000; i++)
        {
            var pieces = Enumerable.Range(0, random.Next(1, 25))
                .Select(_ => new string(Enumerable.Range(0, random.Next(1, random.Next(10) == 0 ? 60 : 12)).Select(_ => letters[random.Next(letters.Length)]).ToArray()));
            var words = string.Join(random.Next(8) == 0 ? "\n" : " ", pieces);
            var font = i % 2 == 0 ? cell : body;
            var width = random.Next(20, 200);
            var maxLines = i % 3 == 0 ? int.MaxValue : 3;

            Assert.Equal(MeasuringEachLine(text, words, font, width, maxLines), text.Wrap(words, font, width, maxLines));
        }
    }

    /// <summary>The wrap as it was: each candidate line measured whole.</summary>
    private static List<string> MeasuringEachLine(PdfText measure, string text, TextStyle font, float width, int maxLines)
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
                if (measure.Measure(candidate, font) <= width)
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
                        lines[^1] = measure.Fit(lines[^1] + " " + string.Join(' ', words[w..]), font, width);
                        return lines;
                    }
                }

                while (measure.Measure(word, font) > width)
                {
                    var piece = measure.Fit(word, font, width).TrimEnd('…');
                    if (piece.Length == 0)
                    {
                        piece = word[..1];
                    }

                    lines.Add(piece);
                    word = word[piece.Length..];
                    if (lines.Count == maxLines)
                    {
                        lines[^1] = measure.Fit(lines[^1] + word, font, width);
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
}
