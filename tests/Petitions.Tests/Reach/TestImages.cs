using System.Buffers.Binary;
using SkiaSharp;

namespace Petitions.Tests.Reach;

/// <summary>Image files for upload tests, made here so each test says what is in them.</summary>
public static class TestImages
{
    public static byte[] Exif => "Exif\0\0"u8.ToArray();

    /// <summary>The GPS latitude written into <see cref="JpegWithGpsExif"/>: 51° 30' 26", a marker to look for.</summary>
    public static readonly uint[] Latitude = [51, 1, 30, 1, 26, 1];

    public static byte[] Encode(int width, int height, SKEncodedImageFormat format, SKColor? color = null)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color ?? new SKColor(30, 110, 200));
            using var paint = new SKPaint { Color = SKColors.Yellow };
            canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>
    /// A JPEG whose EXIF block says "rotate 90° clockwise" (orientation 6) and where it was taken (a GPS latitude), as
    /// phone cameras write it.
    /// </summary>
    public static byte[] JpegWithGpsExif(int width, int height)
    {
        var jpeg = Encode(width, height, SKEncodedImageFormat.Jpeg);
        var tiff = new byte[92];
        var span = tiff.AsSpan();
        "MM"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], 8);
        // IFD0: Orientation, and the pointer to the GPS IFD.
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], 2);
        Entry(span[10..], 0x0112, 3, 1, 6u << 16);
        Entry(span[22..], 0x8825, 4, 1, 38);
        // GPS IFD: GPSLatitudeRef "N", GPSLatitude three rationals at offset 68.
        BinaryPrimitives.WriteUInt16BigEndian(span[38..], 2);
        Entry(span[40..], 0x0001, 2, 2, (uint)'N' << 24);
        Entry(span[52..], 0x0002, 5, 3, 68);
        for (var i = 0; i < Latitude.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[(68 + (4 * i))..], Latitude[i]);
        }

        var segment = new List<byte> { 0xFF, 0xE1 };
        var length = 2 + Exif.Length + tiff.Length;
        segment.Add((byte)(length >> 8));
        segment.Add((byte)length);
        segment.AddRange(Exif);
        segment.AddRange(tiff);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];

        static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(at, tag);
            BinaryPrimitives.WriteUInt16BigEndian(at[2..], type);
            BinaryPrimitives.WriteUInt32BigEndian(at[4..], count);
            BinaryPrimitives.WriteUInt32BigEndian(at[8..], value);
        }
    }

    /// <summary>The bytes of the latitude rationals, as they sit in the file.</summary>
    public static byte[] LatitudeBytes()
    {
        var bytes = new byte[Latitude.Length * 4];
        for (var i = 0; i < Latitude.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), Latitude[i]);
        }

        return bytes;
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
