namespace Petitions.Web.Features.Images;

/// <summary>
/// A petition's one image, re-encoded on upload (so no EXIF or GPS survives). The bytes live here, or on disk under
/// Storage__Path; either way they are found by <see cref="Hash"/>, which is also their public, immutable address.
/// </summary>
public class PetitionImage
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string Hash { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public byte[]? Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
