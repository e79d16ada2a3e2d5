using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Petitions.Web.Features.Browse;

/// <summary>
/// An opaque position in a listing: the sort it belongs to, that sort's key for the row (a count, or a time in
/// microseconds since 1970), and the row's id as the tie-breaker. Encoded as base64url so clients treat it as a token.
/// </summary>
public sealed record BrowseCursor(BrowseSort Sort, long Key, long Id)
{
    private const string Version = "1";

    public static BrowseCursor For(BrowseSort sort, BrowseItem item) => sort switch
    {
        BrowseSort.MostSigned => new(sort, item.SignatureCount, item.Id),
        BrowseSort.Newest => new(sort, ToMicroseconds(item.PublishedAt!.Value), item.Id),
        _ => new(sort, ToMicroseconds(item.ClosesAt!.Value), item.Id),
    };

    public DateTimeOffset KeyAsTime => DateTimeOffset.UnixEpoch.AddTicks(Key * TimeSpan.TicksPerMicrosecond);

    public string Encode()
    {
        var text = string.Join('.', Version, BrowseNames.Name(Sort), Key.ToString(CultureInfo.InvariantCulture), Id.ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Returns null for anything that is not a cursor this code wrote: bad input is a client error, never a 500.</summary>
    public static BrowseCursor? TryDecode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts[0] != Version || BrowseNames.ParseSort(parts[1]) is not { } sort
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var valid = sort == BrowseSort.MostSigned
            ? key is >= 0 and <= int.MaxValue
            : key is >= MinMicroseconds and <= MaxMicroseconds;
        return valid ? new BrowseCursor(sort, key, id) : null;
    }

    // PostgreSQL stores microseconds; .NET ticks are 100 ns, so cursor keys round-trip exactly.
    private static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private const long MinMicroseconds = -62_135_596_800_000_000L + 1;
    private const long MaxMicroseconds = 253_402_300_799_000_000L;
}
