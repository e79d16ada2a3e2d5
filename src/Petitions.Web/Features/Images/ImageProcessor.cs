using System.Security.Cryptography;
using SkiaSharp;

namespace Petitions.Web.Features.Images;

public sealed record ProcessedImage(byte[] Jpeg, string Hash, int Width, int Height);

public enum ImageFormat
{
    Jpeg,
    WebP,
}

/// <summary>
/// Checks an upload by its bytes and re-encodes it. Only pixels are copied into the new file, so EXIF (with GPS
/// positions), XMP, ICC comments and anything smuggled after the image data are gone.
/// </summary>
public static class ImageProcessor
{
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MasterMaxWidth = 1600;
    public const int MinWidth = 200;
    public const int MinHeight = 100;

    // Widths served at /images/{hash}/{width}.jpg; anything else is a 404, so nobody can make us render arbitrary sizes.
    public static readonly IReadOnlyList<int> Widths = [320, 640, 960, 1200, 1600];

    // A 5 MB file can still claim 50,000 × 50,000 pixels; refuse before decoding.
    private const long MaxPixels = 40_000_000;

    public static string? Refusal(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return "Choose an image to upload";
        }

        if (data.Length > MaxBytes)
        {
            return "The image must be 5 MB or smaller";
        }

        return Sniff(data) is null ? "The image must be a JPEG, PNG or WebP file" : null;
    }

    /// <summary>The format the bytes really are, whatever the file is called.</summary>
    public static SKEncodedImageFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return SKEncodedImageFormat.Jpeg;
        }

        if (data.Length >= 8 && data[..8].SequenceEqual((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return SKEncodedImageFormat.Png;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return SKEncodedImageFormat.Webp;
        }

        return null;
    }

    /// <summary>Decodes, turns upright, flattens onto white, scales to at most <see cref="MasterMaxWidth"/> and encodes as JPEG.</summary>
    public static (ProcessedImage? Image, string? Refusal) Process(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var refusal = Refusal(data);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        using var codec = SKCodec.Create(new SKMemoryStream(data));
        if (codec is null || codec.EncodedFormat != Sniff(data))
        {
            return (null, "The image could not be read: save it again as a JPEG, PNG or WebP file");
        }

        var info = codec.Info;
        if ((long)info.Width * info.Height > MaxPixels)
        {
            return (null, "The image is too large: use one under 40 megapixels");
        }

        using var decoded = SKBitmap.Decode(codec, new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (decoded is null)
        {
            return (null, "The image could not be read: save it again as a JPEG, PNG or WebP file");
        }

        using var upright = Upright(decoded, codec.EncodedOrigin);
        if (upright.Width < MinWidth || upright.Height < MinHeight)
        {
            return (null, $"The image must be at least {MinWidth} pixels wide and {MinHeight} pixels high");
        }

        var jpeg = Encode(upright, Math.Min(MasterMaxWidth, upright.Width), ImageFormat.Jpeg, out var width, out var height);
        var hash = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        return (new ProcessedImage(jpeg, hash, width, height), null);
    }

    /// <summary>One served size of a stored master.</summary>
    public static byte[] Render(byte[] master, int width, ImageFormat format)
    {
        using var bitmap = SKBitmap.Decode(master) ?? throw new InvalidDataException("A stored image could not be decoded.");
        return Encode(bitmap, Math.Min(width, bitmap.Width), format, out _, out _);
    }

    private static byte[] Encode(SKBitmap source, int width, ImageFormat format, out int outWidth, out int outHeight)
    {
        outWidth = width;
        outHeight = Math.Max(1, (int)Math.Round(source.Height * (double)width / source.Width));
        using var surface = SKSurface.Create(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, new SKRect(0, 0, outWidth, outHeight), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(format == ImageFormat.WebP ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg, 85);
        return encoded.ToArray();
    }

    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var width = swap ? source.Height : source.Width;
        var height = swap ? source.Width : source.Height;
        var result = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, width, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, width, -1, 0, height, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, height, 0, 0, 1),
            _ => SKMatrix.Identity,
        });
        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return result;
    }
}
