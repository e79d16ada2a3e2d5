using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Petitions.Web.Infrastructure.Caching;

/// <summary>The body encodings the cached pages are stored in: one copy per coding, chosen by Accept-Encoding.</summary>
public static class ContentCodings
{
    public const string Brotli = "br";
    public const string Gzip = "gzip";
    public const string Identity = "identity";

    /// <summary>The best coding the client accepts: Brotli, then gzip, else none. Unknown or refused (q=0) codings are skipped.</summary>
    public static string Choose(StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var offered))
        {
            return Identity;
        }

        double Quality(string coding)
        {
            var exact = offered.Where(o => o.Value.Equals(coding, StringComparison.OrdinalIgnoreCase)).ToList();
            var chosen = exact.Count > 0 ? exact : offered.Where(o => o.Value.Equals("*", StringComparison.Ordinal)).ToList();
            return chosen.Count == 0 ? 0 : chosen.Max(o => o.Quality ?? 1);
        }

        var brotli = Quality(Brotli);
        var gzip = Quality(Gzip);
        if (brotli > 0 && brotli >= gzip)
        {
            return Brotli;
        }

        return gzip > 0 ? Gzip : Identity;
    }

    public static byte[] Encode(ReadOnlySpan<byte> body, string coding)
    {
        if (coding == Identity)
        {
            return body.ToArray();
        }

        using var output = new MemoryStream(body.Length / 4 + 64);
        // Rendered at most once per interval and then served many times: worth a good ratio, not the slowest levels.
        using (Stream encoder = coding == Brotli
            ? new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            encoder.Write(body);
        }

        return output.ToArray();
    }
}
