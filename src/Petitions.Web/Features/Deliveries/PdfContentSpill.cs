using System.Globalization;
using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// Keeps the compressed content streams of finished pages in a temporary file rather than in memory: PDFsharp holds
/// every page until the document is saved, and a page's content is the largest part of what it holds. Each stream
/// moved out is replaced by a one-byte placeholder; once PDFsharp has written the document, <see cref="SaveAsync"/>
/// copies it to the output with the streams put back and the cross-reference table moved to the new offsets.
/// </summary>
internal sealed class PdfContentSpill : IAsyncDisposable
{
    private const int CopyBuffer = 64 * 1024;

    // A stream whose dictionary names a filter is written by PDFsharp as it is, so the placeholder stays one byte.
    private static readonly byte[] Placeholder = "%"u8.ToArray();
    private static readonly byte[] Tail = "\nendstream\nendobj\n"u8.ToArray();

    private readonly FileStream file = TemporaryFile();
    private readonly List<(PdfContent Content, long Offset, int Length)> moved = [];

    /// <summary>Moves the page's content streams, already compressed, to the file.</summary>
    public void Add(PdfPage page)
    {
        foreach (var content in page.Contents)
        {
            var stream = content.Stream;
            if (stream is null || content.Elements.GetName("/Filter") != "/FlateDecode" || content.Elements.Count != 2)
            {
                throw new InvalidOperationException("Only a compressed content stream with just /Length and /Filter can be moved out.");
            }

            moved.Add((content, file.Position, stream.Value.Length));
            file.Write(stream.Value);
            stream.Value = Placeholder;
        }
    }

    /// <summary>Saves <paramref name="document"/> to <paramref name="output"/> with every moved stream back in place.</summary>
    public async Task SaveAsync(PdfDocument document, Stream output, CancellationToken cancellationToken)
    {
        await using var draft = TemporaryFile();
        document.Save(draft, closeStream: false);

        // PDFsharp numbers the objects when it saves, so only now do the moved streams have their final numbers.
        var streams = moved.ToDictionary(m => m.Content.Reference!.ObjectNumber);
        var xref = await CrossReferences.ReadAsync(draft, cancellationToken);
        var order = Enumerable.Range(1, xref.Offsets.Length - 1).Where(n => xref.InUse[n]).OrderBy(n => xref.Offsets[n]).ToArray();
        var offsets = new long[xref.Offsets.Length];
        var buffer = new byte[CopyBuffer];
        long written = 0;

        written += await CopyAsync(draft, 0, order.Length > 0 ? xref.Offsets[order[0]] : xref.Start, output, buffer, cancellationToken);
        for (var i = 0; i < order.Length; i++)
        {
            var number = order[i];
            var start = xref.Offsets[number];
            var end = i + 1 < order.Length ? xref.Offsets[order[i + 1]] : xref.Start;
            offsets[number] = written;
            if (streams.TryGetValue(number, out var stream))
            {
                await ExpectAsync(draft, start, end, [.. Head(number, Placeholder.Length), .. Placeholder, .. Tail], cancellationToken);
                var head = Head(number, stream.Length);
                await output.WriteAsync(head, cancellationToken);
                await CopyAsync(file, stream.Offset, stream.Offset + stream.Length, output, buffer, cancellationToken);
                await output.WriteAsync(Tail, cancellationToken);
                written += head.Length + stream.Length + Tail.Length;
            }
            else
            {
                written += await CopyAsync(draft, start, end, output, buffer, cancellationToken);
            }
        }

        var table = new StringBuilder().Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Length}\n");
        for (var n = 0; n < offsets.Length; n++)
        {
            table.Append(xref.InUse[n]
                ? string.Create(CultureInfo.InvariantCulture, $"{offsets[n]:D10} {xref.Generations[n]:D5} n \n")
                : string.Create(CultureInfo.InvariantCulture, $"{xref.Offsets[n]:D10} {xref.Generations[n]:D5} f \n"));
        }

        var newStart = written;
        await output.WriteAsync(Encoding.ASCII.GetBytes(table.ToString()), cancellationToken);
        // The trailer dictionary as PDFsharp wrote it, then where the table now starts.
        await CopyAsync(draft, xref.TrailerStart, xref.StartXrefKeyword, output, buffer, cancellationToken);
        await output.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"startxref\n{newStart}\n%%EOF\n")), cancellationToken);
    }

    public async ValueTask DisposeAsync() => await file.DisposeAsync();

    private static FileStream TemporaryFile() =>
        new(Path.Combine(Path.GetTempPath(), $"petitions-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            CopyBuffer, FileOptions.DeleteOnClose);

    /// <summary>A content stream object as PDFsharp writes it: what comes before its bytes (and <see cref="Tail"/> after).</summary>
    private static byte[] Head(int number, int length) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{number} 0 obj\n<</Length {length}/Filter/FlateDecode>>\nstream\n"));

    /// <summary>Throws unless the bytes from <paramref name="start"/> to <paramref name="end"/> are exactly <paramref name="expected"/>.</summary>
    private static async Task ExpectAsync(FileStream draft, long start, long end, byte[] expected, CancellationToken cancellationToken)
    {
        var actual = new byte[expected.Length];
        if (end - start == expected.Length)
        {
            draft.Position = start;
            await draft.ReadExactlyAsync(actual, cancellationToken);
        }

        if (end - start != expected.Length || !actual.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"PDFsharp wrote a moved content stream in a form this code does not expect, at offset {start}.");
        }
    }

    private static async Task<long> CopyAsync(FileStream from, long start, long end, Stream to, byte[] buffer, CancellationToken cancellationToken)
    {
        from.Position = start;
        var left = end - start;
        while (left > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            left -= read;
        }

        return end - start;
    }

    /// <summary>The classic cross-reference table PDFsharp writes: one section from object 0, then the trailer.</summary>
    private sealed record CrossReferences(long Start, long[] Offsets, int[] Generations, bool[] InUse, long TrailerStart, long StartXrefKeyword)
    {
        private const int EntrySize = 20;

        public static async Task<CrossReferences> ReadAsync(FileStream pdf, CancellationToken cancellationToken)
        {
            var tailStart = Math.Max(0, pdf.Length - 1024);
            var tail = await ReadTextAsync(pdf, tailStart, (int)(pdf.Length - tailStart), cancellationToken);
            var keyword = tail.LastIndexOf("startxref", StringComparison.Ordinal);
            var start = keyword < 0 ? -1 : long.Parse(tail.AsSpan(keyword + "startxref".Length).Trim().ToString().Split('\n')[0].Trim(), CultureInfo.InvariantCulture);

            var header = start < 0 ? "" : await ReadTextAsync(pdf, start, (int)Math.Min(64, pdf.Length - start), cancellationToken);
            var lines = header.Split('\n');
            var section = lines.Length > 2 && lines[0] == "xref" ? lines[1].Split(' ') : [];
            if (section.Length != 2 || section[0] != "0" || !int.TryParse(section[1], CultureInfo.InvariantCulture, out var count))
            {
                throw new InvalidOperationException("PDFsharp wrote a cross-reference section this code does not expect.");
            }

            var entriesStart = start + lines[0].Length + 1 + lines[1].Length + 1;
            var entries = await ReadTextAsync(pdf, entriesStart, count * EntrySize, cancellationToken);
            var offsets = new long[count];
            var generations = new int[count];
            var inUse = new bool[count];
            for (var n = 0; n < count; n++)
            {
                var entry = entries.AsSpan(n * EntrySize, EntrySize);
                offsets[n] = long.Parse(entry[..10], CultureInfo.InvariantCulture);
                generations[n] = int.Parse(entry[11..16], CultureInfo.InvariantCulture);
                inUse[n] = entry[17] == 'n';
            }

            var trailerStart = entriesStart + (count * EntrySize);
            var trailer = await ReadTextAsync(pdf, trailerStart, 7, cancellationToken);
            if (trailer != "trailer")
            {
                throw new InvalidOperationException("PDFsharp wrote a cross-reference section this code does not expect.");
            }

            return new CrossReferences(start, offsets, generations, inUse, trailerStart, tailStart + keyword);
        }

        private static async Task<string> ReadTextAsync(FileStream pdf, long start, int length, CancellationToken cancellationToken)
        {
            var bytes = new byte[length];
            pdf.Position = start;
            await pdf.ReadExactlyAsync(bytes, cancellationToken);
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
