using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;
using HbBlob = HarfBuzzSharp.Blob;
using HbFace = HarfBuzzSharp.Face;
using HbFont = HarfBuzzSharp.Font;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// The fonts of the delivered PDF, the same on every server: DejaVu Sans (Latin, Greek, Cyrillic, Hebrew) and
/// Vazirmatn (Persian and Arabic; its Non-Latin build, as DejaVu draws the Latin) ship inside the assembly with their
/// licences; Chinese, Japanese and Korean come from Droid Sans Fallback, Debian's and Ubuntu's fonts-droid-fallback
/// (Apache 2.0, 4 MB: too big for the repository), which scripts/ensure-deps.sh and the Dockerfile install. Without
/// it such names show as empty boxes and the rest of the PDF is unaffected.
/// </summary>
internal sealed class DeliveryFonts
{
    internal static readonly string[] CjkFontPaths =
    [
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
    ];

    private static readonly Lazy<DeliveryFonts> Instance = new(() => new DeliveryFonts());

    private DeliveryFonts()
    {
        var cjk = CjkFontPaths.FirstOrDefault(File.Exists);
        var cjkRegular = cjk is null ? null : FontFace.FromFile(cjk, fakeBold: false);
        var cjkBold = cjk is null ? null : FontFace.FromFile(cjk, fakeBold: true);
        Regular = new FontFallback(FontFace.FromResource("DejaVuSans"), FontFace.FromResource("Vazirmatn-NL-Regular"), cjkRegular);
        Bold = new FontFallback(FontFace.FromResource("DejaVuSans-Bold"), FontFace.FromResource("Vazirmatn-NL-Bold"), cjkBold);
    }

    public static DeliveryFonts Shared => Instance.Value;

    public FontFallback Regular { get; }

    public FontFallback Bold { get; }
}

/// <summary>The faces of one weight, and which of them draws a character.</summary>
internal sealed class FontFallback(FontFace primary, FontFace arabic, FontFace? cjk)
{
    /// <summary>DejaVu Sans: every character it has, unless it is Arabic script.</summary>
    public FontFace Primary { get; } = primary;

    /// <summary>
    /// The face for <paramref name="codePoint"/>, or null when the character draws nothing of its own (a space, a mark,
    /// a joiner, punctuation) and <paramref name="previous"/> has it: it then stays in the run it is in, so that
    /// "علی رضایی" is shaped as one run and a mark stays on its letter.
    /// </summary>
    public FontFace For(int codePoint, FontFace? previous)
    {
        if (previous is not null && Inherits(codePoint) && (previous.Has(codePoint) || IsIgnorable(codePoint)))
        {
            return previous;
        }

        // DejaVu Sans has Arabic letters too, but only Vazirmatn is made for Persian.
        if (IsArabicScript(codePoint) && arabic.Has(codePoint))
        {
            return arabic;
        }

        if (Primary.Has(codePoint))
        {
            return Primary;
        }

        if (arabic.Has(codePoint))
        {
            return arabic;
        }

        return cjk is not null && cjk.Has(codePoint) ? cjk : previous ?? Primary;
    }

    private static bool IsArabicScript(int c) =>
        c is (>= 0x0600 and <= 0x06FF) or (>= 0x0750 and <= 0x077F) or (>= 0x0870 and <= 0x08FF) or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF);

    private static bool IsIgnorable(int c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format;

    private static bool Inherits(int c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format
        or UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.DecimalDigitNumber;
}

/// <summary>One font file, for Skia (drawing, embedding in the PDF) and for HarfBuzz (shaping), with the same metrics.</summary>
internal sealed class FontFace
{
    // Characters that need no shaping (Latin, Greek, Cyrillic, general punctuation, currency signs: no marks, no
    // joining, no reordering) are laid out from this table, which is most of what a list of signatures holds.
    private const int SimpleLimit = 0x20D0;

    private readonly ushort[] simpleGlyphs = new ushort[SimpleLimit];
    private readonly float[] simpleAdvances = new float[SimpleLimit];

    private FontFace(string name, SKTypeface typeface, HbBlob blob, bool fakeBold)
    {
        Name = name;
        Typeface = typeface;
        FakeBold = fakeBold;
        using (blob)
        using (var face = new HbFace(blob, 0))
        {
            UnitsPerEm = face.UnitsPerEm;
            Shaper = new HbFont(face);
        }

        Shaper.SetScale(UnitsPerEm, UnitsPerEm);
        for (var c = 0x20; c < SimpleLimit; c++)
        {
            if (IsSimple(c) && Shaper.TryGetNominalGlyph((uint)c, out var glyph) && glyph is > 0 and <= ushort.MaxValue)
            {
                simpleGlyphs[c] = (ushort)glyph;
                simpleAdvances[c] = Shaper.GetHorizontalGlyphAdvance(glyph) / (float)UnitsPerEm;
            }
        }
    }

    public string Name { get; }

    public SKTypeface Typeface { get; }

    /// <summary>HarfBuzz's font, scaled to font units; safe to shape with from several threads.</summary>
    public HbFont Shaper { get; }

    public int UnitsPerEm { get; }

    /// <summary>A regular face standing in for a bold one, drawn thicker.</summary>
    public bool FakeBold { get; }

    public static FontFace FromResource(string name)
    {
        var resource = $"Petitions.Web.Features.Deliveries.Fonts.{name}.ttf";
        using var stream = typeof(FontFace).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font resource {resource} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var typeface = SKTypeface.FromData(SKData.CreateCopy(bytes))
            ?? throw new InvalidOperationException($"The font resource {resource} could not be read.");
        return new FontFace(name, typeface, NativeCopy(bytes), fakeBold: false);
    }

    public static FontFace FromFile(string path, bool fakeBold)
    {
        var typeface = SKTypeface.FromFile(path) ?? throw new InvalidOperationException($"The font {path} could not be read.");
        return new FontFace(Path.GetFileNameWithoutExtension(path), typeface, HbBlob.FromFile(path), fakeBold);
    }

    /// <summary>
    /// The font's bytes in native memory for HarfBuzz, which reads them for as long as the face lives: a managed array
    /// could be moved by the garbage collector. The fonts live as long as the process, so the memory is never freed.
    /// </summary>
    private static unsafe HbBlob NativeCopy(byte[] bytes)
    {
        var memory = NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(memory, bytes.Length));
        return new HbBlob((nint)memory, bytes.Length, HarfBuzzSharp.MemoryMode.ReadOnly);
    }

    public bool Has(int codePoint) => codePoint < SimpleLimit && simpleGlyphs[codePoint] != 0
        || Shaper.TryGetNominalGlyph((uint)codePoint, out var glyph) && glyph != 0;

    /// <summary>The glyph and advance (in ems) of a character that needs no shaping, or false.</summary>
    public bool TrySimple(char c, out ushort glyph, out float advance)
    {
        if (c < SimpleLimit && simpleGlyphs[c] != 0)
        {
            glyph = simpleGlyphs[c];
            advance = simpleAdvances[c];
            return true;
        }

        glyph = 0;
        advance = 0;
        return false;
    }

    private static bool IsSimple(int c)
    {
        var simpleBlock = c is < 0x0300 or (>= 0x0370 and < 0x0530) or (>= 0x2010 and < 0x2028) or (>= 0x2030 and < 0x205F) or (>= 0x20A0 and < SimpleLimit);
        return simpleBlock && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.OtherNotAssigned);
    }
}
