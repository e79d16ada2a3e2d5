namespace Petitions.Web.Features.Images;

public static class ImageUrls
{
    public static string For(string hash, int width, string format = "jpg") => $"/images/{hash}/{width}.{format}";

    /// <summary>A srcset over the served widths up to the master's own width.</summary>
    public static string SrcSet(string hash, int masterWidth, string format = "jpg") =>
        string.Join(", ", ImageProcessor.Widths.Where(w => w <= Math.Max(masterWidth, ImageProcessor.Widths[0])).Select(w => $"{For(hash, w, format)} {w}w"));

    public static int HeightAt(int width, int masterWidth, int masterHeight) =>
        (int)Math.Round(masterHeight * (double)Math.Min(width, masterWidth) / masterWidth);
}
