using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// The Unicode bidirectional algorithm (UAX #9), which splits a line such as "Ali Rezaei / علی رضایی ۱۲" into runs of
/// one direction and puts them in the order they are seen. HarfBuzz shapes one such run at a time and .NET has no
/// public bidi API, so this calls ICU's ubidi, the reference implementation, in the libicuuc that .NET itself loads
/// for globalization on Linux (the project turns invariant globalization off, so ICU is always there). A
/// hand-written UAX #9 would need the Bidi_Class of every code point, which .NET does not expose either, and would
/// be one more thing to keep conformant. ICU's symbols carry its major version (ubidi_open_72 on Debian 12,
/// ubidi_open_74 on Ubuntu 24.04); the library is found among the process's loaded modules, so it is the one .NET uses.
/// </summary>
internal static unsafe class Bidi
{
    private const byte LeftToRight = 0;
    private const byte RightToLeft = 1;

    private static readonly Lazy<Functions> Icu = new(Functions.Load);

    /// <summary>One run of <c>text[Start..(Start + Length)]</c>, all in one direction.</summary>
    public readonly record struct Run(int Start, int Length, bool RightToLeft);

    /// <summary>True when the text holds a right-to-left character or a control that can make one, so it needs the algorithm.</summary>
    public static bool NeedsReordering(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is (>= '\u0590' and <= '\u08FF') or (>= '\uFB1D' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF')
                or '\u200F' or '\u202B' or '\u202E' or '\u2067'
                // High surrogates of the right-to-left planes' blocks: U+10800–10FFF and U+1E800–1EFFF.
                or (>= '\uD802' and <= '\uD803') or (>= '\uD83A' and <= '\uD83B'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The direction of a paragraph from its first strong character (rules P2 and P3, without isolates), or
    /// <paramref name="otherwise"/> when it has none: how a <c>dir="auto"</c> element decides.
    /// </summary>
    public static bool IsRightToLeft(string text, bool otherwise)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (c is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF))
            {
                if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter)
                {
                    return true;
                }
            }
            else if (Rune.IsLetter(rune))
            {
                return false;
            }
        }

        return otherwise;
    }

    /// <summary>The runs of one line laid out in a paragraph of the given direction, in visual order, left to right.</summary>
    public static void VisualRuns(string text, bool rightToLeft, List<Run> runs)
    {
        runs.Clear();
        if (text.Length == 0)
        {
            return;
        }

        var icu = Icu.Value;
        var bidi = icu.Open();
        if (bidi == 0)
        {
            throw new InvalidOperationException("ICU could not open a bidi object.");
        }

        try
        {
            var error = 0;
            // ICU keeps a pointer to the text: it must stay pinned until the last run is read.
            fixed (char* chars = text)
            {
                icu.SetPara(bidi, chars, text.Length, rightToLeft ? RightToLeft : LeftToRight, null, &error);
                Check(error, "ubidi_setPara");
                var count = icu.CountRuns(bidi, &error);
                Check(error, "ubidi_countRuns");
                for (var i = 0; i < count; i++)
                {
                    int start, length;
                    var direction = icu.GetVisualRun(bidi, i, &start, &length);
                    runs.Add(new Run(start, length, direction == RightToLeft));
                }
            }
        }
        finally
        {
            icu.Close(bidi);
        }
    }

    private static void Check(int error, string function)
    {
        // ICU's warnings are negative and its errors positive.
        if (error > 0)
        {
            throw new InvalidOperationException($"ICU's {function} failed with error {error}.");
        }
    }

    private sealed class Functions
    {
        public delegate* unmanaged<nint> Open { get; private init; }

        public delegate* unmanaged<nint, char*, int, byte, byte*, int*, void> SetPara { get; private init; }

        public delegate* unmanaged<nint, int*, int> CountRuns { get; private init; }

        public delegate* unmanaged<nint, int, int*, int*, int> GetVisualRun { get; private init; }

        public delegate* unmanaged<nint, void> Close { get; private init; }

        public static Functions Load()
        {
            var (library, suffix) = FindLibrary();
            nint Export(string name) =>
                suffix.Length > 0 && NativeLibrary.TryGetExport(library, $"{name}_{suffix}", out var versioned) ? versioned
                : NativeLibrary.TryGetExport(library, name, out var plain) ? plain
                : throw new InvalidOperationException($"ICU's {name} was not found.");

            return new Functions
            {
                Open = (delegate* unmanaged<nint>)Export("ubidi_open"),
                SetPara = (delegate* unmanaged<nint, char*, int, byte, byte*, int*, void>)Export("ubidi_setPara"),
                CountRuns = (delegate* unmanaged<nint, int*, int>)Export("ubidi_countRuns"),
                GetVisualRun = (delegate* unmanaged<nint, int, int*, int*, int>)Export("ubidi_getVisualRun"),
                Close = (delegate* unmanaged<nint, void>)Export("ubidi_close"),
            };
        }

        /// <summary>ICU's common library and the version its symbols carry ("" when they carry none).</summary>
        private static (nint Library, string Suffix) FindLibrary()
        {
            if (OperatingSystem.IsLinux())
            {
                // Comparing strings is what makes .NET load ICU, if it has not yet.
                _ = CultureInfo.InvariantCulture.CompareInfo.Compare("a", "b", CompareOptions.None);
                var loaded = File.ReadLines("/proc/self/maps")
                    .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                    .Where(fields => fields.Length == 6)
                    .Select(fields => fields[5].Trim())
                    .FirstOrDefault(path => Path.GetFileName(path).StartsWith("libicuuc.so.", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException("ICU (libicuuc) is not loaded; the PDF needs it for right-to-left text.");
                var version = Path.GetFileName(loaded)["libicuuc.so.".Length..].Split('.')[0];
                return (NativeLibrary.Load(loaded), version);
            }

            // Windows 10 1903 and later ship ICU as icu.dll, macOS as libicucore, both with plain symbol names.
            foreach (var name in new[] { "icu.dll", "icuuc.dll", "/usr/lib/libicucore.dylib" })
            {
                if (NativeLibrary.TryLoad(name, out var library))
                {
                    return (library, "");
                }
            }

            throw new InvalidOperationException("ICU was not found; the PDF needs it for right-to-left text.");
        }
    }
}
