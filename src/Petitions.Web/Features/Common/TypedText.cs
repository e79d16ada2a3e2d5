using System.Globalization;
using System.Text;

namespace Petitions.Web.Features.Common;

/// <summary>
/// What people type, made comparable before any rule runs: NFC-normalized, with invisible characters removed (zero-width
/// spaces, word joiners, byte-order marks, soft hyphens, bidirectional controls, Hangul fillers, tag characters), so a
/// name of only invisible characters is an empty name. The zero-width joiner and non-joiner stay inside text, because
/// Persian, Indic scripts and emoji need them, but not at either end.
/// </summary>
public static class TypedText
{
    public static string? Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var rune = Rune.GetRuneAt(value, i);
            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }

            if (!IsInvisible(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return TrimEnds(builder.ToString().Normalize(NormalizationForm.FormC));
    }

    // Whitespace and joiners at either end go; a value of only those becomes empty.
    private static string TrimEnds(string value)
    {
        var start = 0;
        while (start < value.Length && (char.IsWhiteSpace(value[start]) || value[start] is '\u200C' or '\u200D'))
        {
            start++;
        }

        var end = value.Length;
        while (end > start && (char.IsWhiteSpace(value[end - 1]) || value[end - 1] is '\u200C' or '\u200D'))
        {
            end--;
        }

        return value[start..end];
    }

    private static bool IsInvisible(Rune rune) => rune.Value switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x180E or 0x3164 or 0xFFA0 or 0xFEFF => true,
        0x200B or 0x200E or 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xE0000 and <= 0xE007F => true,
        _ => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && rune.Value is not (0x200C or 0x200D),
    };
}
