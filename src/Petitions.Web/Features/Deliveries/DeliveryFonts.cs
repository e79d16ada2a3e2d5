using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// PDFsharp finds no fonts on a bare Linux server or container, so the PDF uses DejaVu Sans, shipped inside the
/// assembly (its licence allows that). Every family maps to it; it covers Latin, Greek and Cyrillic scripts.
/// </summary>
public sealed class DeliveryFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> Faces = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver once per process; PDFsharp's font settings are global.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not DeliveryFonts)
            {
                GlobalFontSettings.FontResolver = new DeliveryFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => Faces.GetOrAdd(faceName, static face =>
    {
        var resource = $"Petitions.Web.Features.Deliveries.Fonts.{face}.ttf";
        using var stream = typeof(DeliveryFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font resource {resource} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
