using System.Text;

namespace Petitions.Tests.Hostile;

/// <summary>
/// What bots, fuzzers and unlucky copy-pastes send, as it travels on the wire (already percent-encoded), so that bytes
/// no .NET string can hold (invalid UTF-8, lone surrogates, a bare %) can be sent too.
/// </summary>
public static class HostileValues
{
    public static IReadOnlyList<(string Name, string Wire)> All { get; } =
    [
        ("empty", ""),
        ("spaces", Encode("   ")),
        ("10k letters", Encode(new string('a', 10_000))),
        ("301 letters", Encode(new string('x', 301))),
        ("NUL alone", "%00"),
        ("NUL inside", Encode("Ada") + "%00" + Encode("Lovelace")),
        ("control characters", Encode("a\u0001b\u0007c\u001Bd")),
        ("bidi override", Encode("\u202Egnp.exe\u202C Ada")),
        ("only zero-width", Encode("\u200B\u200C\u200D\u2060")),
        ("BOM and noncharacter", Encode("\uFEFFAda\uFFFE")),
        ("lone high surrogate", "%ED%A0%80"),
        ("invalid UTF-8", "%FF%FE%C3"),
        ("overlong UTF-8 slash", "%C0%AF"),
        ("bare percent", "%"),
        ("bad percent", "%zz%4"),
        ("emoji flood", Encode(string.Concat(Enumerable.Repeat("👩🏽‍⚕️", 150)))),
        ("combining flood", Encode("e" + new string('\u0301', 2_000))),
        ("Persian", Encode("مریم رضایی")),
        ("Persian email", Encode("مریم@example.com")),
        ("script tag", Encode("<script>alert(1)</script>")),
        ("attribute break", Encode("\"><img src=x onerror=alert(1)>")),
        ("SQL", Encode("'; DROP TABLE signatures; --")),
        ("CSV formula", Encode("=HYPERLINK(\"http://evil.example\",\"x\")")),
        ("header injection", Encode("ada@example.test\r\nBcc: all@example.test")),
        ("path traversal", Encode("../../../../etc/passwd")),
        ("huge number", Encode("99999999999999999999999999999")),
        ("negative", Encode("-1")),
        ("float overflow", Encode("1e309")),
        ("NaN", Encode("NaN")),
        ("far date", Encode("9999-12-31T23:59:59Z")),
        ("JSON", Encode("{\"$ne\":null}")),
        ("Turkish dotted I", Encode("İSTANBUL@EXAMPLE.TEST")),
        ("markdown nesting", Encode(string.Concat(Enumerable.Repeat("> ", 500)) + "deep")),
        ("markdown list nesting", Encode(string.Concat(Enumerable.Repeat("- ", 400)))),
        ("long email", Encode("a@" + new string('b', 300) + ".example")),
        ("mixed newlines", Encode("one\rtwo\nthree\r\n\u2028four\u2029")),
    ];

    /// <summary>Percent-encodes a string's UTF-8 bytes as a form does.</summary>
    public static string Encode(string value) =>
        string.Concat(Encoding.UTF8.GetBytes(value).Select(b => IsUnreserved(b) ? ((char)b).ToString() : $"%{b:X2}"));

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
