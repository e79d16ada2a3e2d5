using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Petitions.Tests.Localization;

/// <summary>
/// Every text the site renders through the localizer (L["..."] in views and emails, t["..."] in validators, and the
/// keys passed to L.Plural) has a resource in English, Persian and French, and no language file has a key the
/// English one lacks. Adding a language: add Strings.{code}.resx and its code here and in Localization__Languages.
/// </summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly string[] Languages = ["fa", "fr"];

    [Fact]
    public void EveryKeyUsedInTheSource_HasAResourceInEveryLanguage()
    {
        var web = WebProject();
        var english = Keys(Path.Combine(web, "Localization", "Strings.resx"));
        var used = UsedKeys(web);
        Assert.NotEmpty(used);

        var missing = new List<string>();
        foreach (var key in used.Where(k => !english.ContainsKey(k)))
        {
            missing.Add($"Strings.resx lacks \"{key}\"");
        }

        foreach (var language in Languages)
        {
            var translated = Keys(Path.Combine(web, "Localization", $"Strings.{language}.resx"));
            missing.AddRange(english.Keys.Where(k => !translated.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v))
                .Select(k => $"Strings.{language}.resx lacks \"{k}\""));
            missing.AddRange(translated.Keys.Where(k => !english.ContainsKey(k)).Select(k => $"Strings.{language}.resx has \"{k}\", unknown in English"));
            missing.AddRange(english.Where(e => translated.TryGetValue(e.Key, out var v) && Placeholders(v) != Placeholders(e.Value))
                .Select(e => $"Strings.{language}.resx: \"{e.Key}\" has other placeholders than English"));
        }

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void PersianResources_HaveNoEnglishWordsLeft()
    {
        var web = WebProject();
        var persian = Keys(Path.Combine(web, "Localization", "Strings.fa.resx"));

        // Latin letters are allowed only in placeholders, examples such as name@example.com, and the file formats' names.
        var english = persian.Where(p => LatinWord().IsMatch(Regex.Replace(p.Value, @"\{\d+\}|\S+@\S+|\b(?:CSV|PDF)\b", "")))
            .Select(p => $"\"{p.Key}\" → \"{p.Value}\"").ToList();

        Assert.True(english.Count == 0, string.Join('\n', english));
    }

    private static string WebProject()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Petitions.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Petitions.sln not found above the test binaries."), "src", "Petitions.Web");
    }

    private static Dictionary<string, string> Keys(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static string Placeholders(string text) =>
        string.Join(',', PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));

    private static HashSet<string> UsedKeys(string web)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in UsePattern().Matches(text))
            {
                keys.Add(Regex.Unescape(match.Groups["key"].Value.Replace("\\\"", "\"", StringComparison.Ordinal)));
            }

            foreach (Match match in PluralPattern().Matches(text))
            {
                keys.Add(match.Groups["one"].Value);
                keys.Add(match.Groups["other"].Value);
            }
        }

        return keys;
    }

    [GeneratedRegex("""\b[Lt](?:\[|\.Html\()\s*"(?<key>(?:[^"\\]|\\.)*)"\s*[,\])]""")]
    private static partial Regex UsePattern();

    [GeneratedRegex("""\.Plural\([^,]+,\s*"(?<one>[^"]*)",\s*"(?<other>[^"]*)"\s*\)""")]
    private static partial Regex PluralPattern();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
