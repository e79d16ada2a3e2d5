using System.Globalization;
using System.Text;

namespace Petitions.Web.Features.Organize;

public static class Slugs
{
    /// <summary>A readable URL segment from a title: ASCII letters and digits joined by dashes, at most 80 characters.</summary>
    public static string FromTitle(string title)
    {
        var decomposed = title.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        if (result.Length > 80)
        {
            result = result[..80].TrimEnd('-');
        }

        return result.Length == 0 ? "petition" : result;
    }
}
