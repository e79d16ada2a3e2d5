using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Localization;

/// <summary>
/// Country names in the page's language, sorted by its collation. English keeps the site's own list
/// (<see cref="Countries"/>); other languages get CLDR's names from ICU (uloc_getDisplayCountry), the library .NET
/// already uses for globalization, so no language needs a hand-kept list of 250 names.
/// </summary>
public static unsafe class CountryNames
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> ByLanguage = new();
    private static readonly ConcurrentDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Sorted = new();
    private static readonly Lazy<nint> DisplayCountry = new(LoadDisplayCountry);

    public static string NameOf(string code) => NameOf(code, CultureInfo.CurrentUICulture);

    public static string NameOf(string code, CultureInfo language) =>
        Names(language).TryGetValue(code, out var name) ? name : Countries.NameOf(code);

    /// <summary>Every country as (code, name), in the order a reader of the language expects.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ByName() => ByName(CultureInfo.CurrentUICulture);

    public static IReadOnlyList<KeyValuePair<string, string>> ByName(CultureInfo language) =>
        Sorted.GetOrAdd(language.Name, _ =>
        {
            var comparer = StringComparer.Create(language, ignoreCase: true);
            return Names(language).OrderBy(c => c.Value, comparer).ToList();
        });

    private static IReadOnlyDictionary<string, string> Names(CultureInfo language) =>
        ByLanguage.GetOrAdd(language.Name, _ =>
        {
            if (language.TwoLetterISOLanguageName == "en" || language.Name.Length == 0)
            {
                return Countries.ByCode;
            }

            return Countries.ByCode.ToDictionary(c => c.Key, c => FromIcu(c.Key, language.Name) ?? c.Value, StringComparer.Ordinal);
        });

    private static string? FromIcu(string code, string language)
    {
        var function = DisplayCountry.Value;
        if (function == 0)
        {
            return null;
        }

        var locale = Encoding.ASCII.GetBytes("und_" + code + "\0");
        var display = Encoding.ASCII.GetBytes(language.Replace('-', '_') + "\0");
        var buffer = stackalloc char[128];
        var status = 0;
        int length;
        fixed (byte* l = locale, d = display)
        {
            length = ((delegate* unmanaged<byte*, byte*, char*, int, int*, int>)function)(l, d, buffer, 128, &status);
        }

        // ICU answers the code itself when it has no name; status > 0 is an error.
        var name = status > 0 || length <= 0 ? null : new string(buffer, 0, Math.Min(length, 128));
        return name is null || name == code ? null : name;
    }

    private static nint LoadDisplayCountry()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // Comparing strings is what makes .NET load ICU, if it has not yet.
        _ = CultureInfo.InvariantCulture.CompareInfo.Compare("a", "b", CompareOptions.None);
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6)
            .Select(fields => fields[5].Trim())
            .FirstOrDefault(path => Path.GetFileName(path).StartsWith("libicuuc.so.", StringComparison.Ordinal));
        if (loaded is null)
        {
            return 0;
        }

        var version = Path.GetFileName(loaded)["libicuuc.so.".Length..].Split('.')[0];
        var library = NativeLibrary.Load(loaded);
        return NativeLibrary.TryGetExport(library, "uloc_getDisplayCountry_" + version, out var f) ? f
            : NativeLibrary.TryGetExport(library, "uloc_getDisplayCountry", out var plain) ? plain : 0;
    }
}
