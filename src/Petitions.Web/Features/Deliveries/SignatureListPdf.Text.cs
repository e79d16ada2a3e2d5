using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using HbBuffer = HarfBuzzSharp.Buffer;

namespace Petitions.Web.Features.Deliveries;

/// <summary>A font at a size, with the Skia fonts for each face it falls back to.</summary>
internal sealed class TextStyle(FontFallback faces, float size) : IDisposable
{
    private readonly Dictionary<FontFace, SKFont> fonts = [];

    public FontFallback Faces { get; } = faces;

    public float Size { get; } = size;

    /// <summary>The distance from one baseline to the next.</summary>
    public float LineHeight => Size * 1.17f;

    public SKFont Font(FontFace face)
    {
        if (!fonts.TryGetValue(face, out var font))
        {
            font = new SKFont(face.Typeface, Size) { Embolden = face.FakeBold, LinearMetrics = true, Subpixel = true };
            fonts.Add(face, font);
        }

        return font;
    }

    public void Dispose()
    {
        foreach (var font in fonts.Values)
        {
            font.Dispose();
        }
    }
}

/// <summary>
/// Lays lines of text out as positioned glyphs: the bidi algorithm splits a line into runs of one direction, each
/// run is split again where the font changes, and HarfBuzz shapes each piece (Arabic letters joined, marks placed,
/// brackets mirrored). Text that needs none of that, which is most of a list, is laid out from the font's advances
/// without HarfBuzz, as it costs a few microseconds a word and a list has millions of words.
/// <para>
/// Glyphs are placed in visual order but written to the PDF in logical order, each right-to-left run's glyphs
/// reversed, with the text and clusters attached. A reader that takes text in content order (PdfPig, pdf.js,
/// copy and paste) then gets "علی رضایی" as it was typed, and one that sorts by position (poppler) gets it too. The
/// other convention, visual order marked /ReversedChars, which Skia writes for a run whose clusters go backwards,
/// came out reversed in both PdfPig and pdf.js when tried. Skia adds an /ActualText for every glyph whose font maps
/// it to a presentation form (the joined forms of Arabic letters) rather than to the letter itself.
/// </para>
/// </summary>
internal sealed class PdfText : IDisposable
{
    private readonly HbBuffer buffer = new();
    private readonly List<Bidi.Run> bidiRuns = [];
    private readonly List<FontFace> faces = [];

    // A text is usually measured and then drawn: the last line shaped is kept for the second.
    private string? lastText;
    private TextStyle? lastStyle;
    private bool lastRightToLeft;
    private ShapedLine? lastLine;

    public float Measure(string text, TextStyle style, bool rightToLeft = false) =>
        IsSimple(text, style, rightToLeft) ? SimpleWidth(text, style) : Shape(text, style, rightToLeft).Width;

    /// <summary>Adds the line to <paramref name="batch"/> with its left end at <paramref name="x"/> and its baseline at <paramref name="y"/>.</summary>
    public void Draw(TextBatch batch, string text, TextStyle style, float x, float y, bool rightToLeft = false)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (IsSimple(text, style, rightToLeft))
        {
            var run = batch.Builder.AllocateHorizontalRun(style.Font(style.Faces.Primary), text.Length, y, null);
            var glyphs = run.Glyphs;
            var positions = run.Positions;
            for (var i = 0; i < text.Length; i++)
            {
                style.Faces.Primary.TrySimple(text[i], out var glyph, out var advance);
                glyphs[i] = glyph;
                positions[i] = x;
                x += advance * style.Size;
            }

            return;
        }

        foreach (var piece in Shape(text, style, rightToLeft).Runs)
        {
            if (piece.Glyphs.Length == 0)
            {
                continue;
            }

            var run = batch.Builder.AllocatePositionedTextRun(style.Font(piece.Face), piece.Glyphs.Length, piece.Utf8.Length, null);
            piece.Glyphs.CopyTo(run.Glyphs);
            var positions = run.Positions;
            for (var i = 0; i < piece.Positions.Length; i++)
            {
                positions[i] = new SKPoint(x + piece.Positions[i].X, y + piece.Positions[i].Y);
            }

            piece.Utf8.CopyTo(run.Text);
            piece.Clusters.CopyTo(run.Clusters);
        }
    }

    /// <summary>The text cut to fit <paramref name="width"/>, with an ellipsis at its logical end when cut.</summary>
    public string Fit(string text, TextStyle style, float width, bool rightToLeft = false)
    {
        if (Measure(text, style, rightToLeft) <= width)
        {
            return text;
        }

        // Cut only between whole characters (a letter with its marks, a surrogate pair).
        var simple = IsSimple(text, style, rightToLeft);
        var stops = simple ? null : StringInfo.ParseCombiningCharacters(text);
        int Stop(int i) => stops is null ? i : i == stops.Length ? text.Length : stops[i];
        int low = 0, high = stops?.Length ?? text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Measure(string.Concat(text.AsSpan(0, Stop(mid)).TrimEnd(), "…"), style, rightToLeft) <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return string.Concat(text.AsSpan(0, Stop(low)).TrimEnd(), "…");
    }

    /// <summary>Greedy word wrap; at most <paramref name="maxLines"/> lines, the last ending in an ellipsis when text is left over.</summary>
    public List<string> Wrap(string text, TextStyle style, float width, int maxLines = int.MaxValue, bool rightToLeft = false)
    {
        var lines = new List<string>();
        // Each word is measured once and the widths added up, rather than measuring every longer line.
        var space = Measure(" ", style);
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
            var lineWidth = 0f;
            for (var w = 0; w < words.Length; w++)
            {
                var word = words[w];
                var wordWidth = Measure(word, style, rightToLeft);
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
                        lines[^1] = Fit(lines[^1] + " " + string.Join(' ', words[w..]), style, width, rightToLeft);
                        return lines;
                    }
                }

                // A word wider than the column is broken wherever it must be.
                while (wordWidth > width)
                {
                    var piece = Fit(word, style, width, rightToLeft).TrimEnd('…');
                    if (piece.Length == 0)
                    {
                        piece = word[..(char.IsHighSurrogate(word[0]) && word.Length > 1 ? 2 : 1)];
                    }

                    lines.Add(piece);
                    word = word[piece.Length..];
                    if (lines.Count == maxLines)
                    {
                        lines[^1] = Fit(lines[^1] + word, style, width, rightToLeft);
                        return lines;
                    }

                    wordWidth = Measure(word, style, rightToLeft);
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

    public void Dispose() => buffer.Dispose();

    private static bool IsSimple(string text, TextStyle style, bool rightToLeft)
    {
        var primary = style.Faces.Primary;
        foreach (var c in text)
        {
            if (!primary.TrySimple(c, out _, out _))
            {
                return false;
            }
        }

        // In a right-to-left paragraph even Latin text has its neutral characters placed by the algorithm.
        return !rightToLeft || !text.AsSpan().ContainsAnyExcept(SimpleInRightToLeft);
    }

    private static readonly System.Buffers.SearchValues<char> SimpleInRightToLeft =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static float SimpleWidth(string text, TextStyle style)
    {
        var width = 0f;
        foreach (var c in text)
        {
            style.Faces.Primary.TrySimple(c, out _, out var advance);
            width += advance;
        }

        return width * style.Size;
    }

    private ShapedLine Shape(string text, TextStyle style, bool rightToLeft)
    {
        if (ReferenceEquals(text, lastText) && style == lastStyle && rightToLeft == lastRightToLeft)
        {
            return lastLine!;
        }

        if (rightToLeft || Bidi.NeedsReordering(text))
        {
            Bidi.VisualRuns(text, rightToLeft, bidiRuns);
        }
        else
        {
            bidiRuns.Clear();
            bidiRuns.Add(new Bidi.Run(0, text.Length, false));
        }

        ChooseFaces(text, style.Faces);
        var line = new ShapedLine();
        var x = 0f;
        foreach (var run in bidiRuns)
        {
            // The pieces of a run that change font, in the run's visual order.
            var pieces = new List<(int Start, int Length)>();
            for (var start = run.Start; start < run.Start + run.Length;)
            {
                var end = start + 1;
                while (end < run.Start + run.Length && faces[end] == faces[start])
                {
                    end++;
                }

                pieces.Add((start, end - start));
                start = end;
            }

            if (run.RightToLeft)
            {
                pieces.Reverse();
            }

            foreach (var (start, length) in pieces)
            {
                var shaped = ShapePiece(text, start, length, run.RightToLeft, faces[start], style, x);
                line.Runs.Add(shaped);
                x += shaped.Width;
            }
        }

        line.Width = x;
        // Written to the PDF in logical order, so text comes out of it as it was typed.
        line.Runs.Sort((a, b) => a.Start.CompareTo(b.Start));
        lastText = text;
        lastStyle = style;
        lastRightToLeft = rightToLeft;
        lastLine = line;
        return line;
    }

    /// <summary>The face of each UTF-16 unit of <paramref name="text"/> (both halves of a pair get the same).</summary>
    private void ChooseFaces(string text, FontFallback fallback)
    {
        faces.Clear();
        FontFace? previous = null;
        for (var i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            var face = fallback.For(rune.Value, previous);
            for (var k = 0; k < rune.Utf16SequenceLength; k++)
            {
                faces.Add(face);
            }

            previous = face;
            i += rune.Utf16SequenceLength;
        }
    }

    private GlyphRun ShapePiece(string text, int start, int length, bool rightToLeft, FontFace face, TextStyle style, float x)
    {
        buffer.ClearContents();
        buffer.AddUtf16(text, start, length);
        buffer.GuessSegmentProperties();
        buffer.Direction = rightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        face.Shaper.Shape(buffer);

        var infos = buffer.GetGlyphInfoSpan();
        var positions = buffer.GetGlyphPositionSpan();
        var scale = style.Size / face.UnitsPerEm;
        var count = infos.Length;
        var glyphs = new ushort[count];
        var points = new SKPoint[count];
        var clusters = new uint[count];
        var utf8Offsets = Utf8Offsets(text, start, length, out var utf8);
        var pen = x;
        for (var i = 0; i < count; i++)
        {
            glyphs[i] = (ushort)infos[i].Codepoint;
            points[i] = new SKPoint(pen + positions[i].XOffset * scale, -positions[i].YOffset * scale);
            clusters[i] = (uint)utf8Offsets[(int)infos[i].Cluster - start];
            pen += positions[i].XAdvance * scale;
        }

        if (rightToLeft)
        {
            // HarfBuzz gives a right-to-left run's glyphs in visual order; the PDF gets them in logical order.
            Array.Reverse(glyphs);
            Array.Reverse(points);
            Array.Reverse(clusters);
        }

        return new GlyphRun(start, face, glyphs, points, utf8, clusters, pen - x);
    }

    /// <summary>The UTF-8 bytes of the piece and, for each of its UTF-16 units, the offset of its character in them.</summary>
    private static int[] Utf8Offsets(string text, int start, int length, out byte[] utf8)
    {
        var piece = text.AsSpan(start, length);
        utf8 = Encoding.UTF8.GetBytes(piece.ToArray());
        var offsets = new int[length + 1];
        var offset = 0;
        for (var i = 0; i < length; i++)
        {
            offsets[i] = offset;
            if (char.IsHighSurrogate(piece[i]) && i + 1 < length && char.IsLowSurrogate(piece[i + 1]))
            {
                offsets[++i] = offset;
                offset += 4;
            }
            else
            {
                offset += piece[i] < 0x80 ? 1 : piece[i] < 0x800 ? 2 : 3;
            }
        }

        offsets[length] = offset;
        return offsets;
    }

    private sealed class ShapedLine
    {
        public List<GlyphRun> Runs { get; } = [];

        public float Width { get; set; }
    }

    /// <summary>One shaped piece: glyphs placed from the line's left end, its text and each glyph's cluster in it (UTF-8 offsets).</summary>
    private sealed record GlyphRun(int Start, FontFace Face, ushort[] Glyphs, SKPoint[] Positions, byte[] Utf8, uint[] Clusters, float Width);
}

/// <summary>Text gathered for one drawing call: Skia's cost is per call, and a row of the table is one.</summary>
internal sealed class TextBatch : IDisposable
{
    public SKTextBlobBuilder Builder { get; private set; } = new();

    public void DrawTo(SKCanvas canvas, SKPaint paint)
    {
        using var blob = Builder.Build();
        if (blob is not null)
        {
            canvas.DrawText(blob, 0, 0, paint);
        }

        Builder.Dispose();
        Builder = new SKTextBlobBuilder();
    }

    public void Dispose() => Builder.Dispose();
}
