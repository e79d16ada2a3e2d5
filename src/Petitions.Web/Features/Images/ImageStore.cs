using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Features.Images;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>A directory for uploaded images, shared by every node; unset keeps them in the database.</summary>
    public string? Path { get; set; }
}

/// <summary>Keeps each petition's one image, in <c>petition_images</c> or as files under Storage__Path.</summary>
public sealed class ImageStore(PetitionsDbContext db, IOptions<StorageOptions> options)
{
    private string? Directory => string.IsNullOrWhiteSpace(options.Value.Path) ? null : System.IO.Path.Combine(options.Value.Path, "images");

    public Task<PetitionImage?> FindForPetitionAsync(long petitionId, CancellationToken cancellationToken) =>
        db.PetitionImages.AsNoTracking().Where(i => i.PetitionId == petitionId)
            .Select(i => new PetitionImage { Id = i.Id, PetitionId = i.PetitionId, Hash = i.Hash, Width = i.Width, Height = i.Height, CreatedAt = i.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<byte[]?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        var row = await db.PetitionImages.AsNoTracking().Where(i => i.Hash == hash)
            .Select(i => new { i.Content }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.Content is not null)
        {
            return row.Content;
        }

        var file = FileFor(hash);
        return file is not null && File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken) : null;
    }

    /// <summary>Replaces the petition's image (if any) with this one.</summary>
    public async Task SaveAsync(long petitionId, ProcessedImage image, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Directory is { } directory)
        {
            System.IO.Directory.CreateDirectory(directory);
            var file = FileFor(image.Hash)!;
            var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temporary, image.Jpeg, cancellationToken);
            File.Move(temporary, file, overwrite: true);
        }

        var old = await ReplaceAsync(petitionId, new PetitionImage
        {
            PetitionId = petitionId,
            Hash = image.Hash,
            Width = image.Width,
            Height = image.Height,
            Content = Directory is null ? image.Jpeg : null,
            CreatedAt = now,
        }, cancellationToken);
        if (old is not null && old != image.Hash)
        {
            await DeleteFileIfUnusedAsync(old, cancellationToken);
        }
    }

    public async Task RemoveAsync(long petitionId, CancellationToken cancellationToken)
    {
        var old = await ReplaceAsync(petitionId, null, cancellationToken);
        if (old is not null)
        {
            await DeleteFileIfUnusedAsync(old, cancellationToken);
        }
    }

    private async Task<string?> ReplaceAsync(long petitionId, PetitionImage? replacement, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two uploads at once for one petition take turns here instead of racing on the unique index.
        await db.Database.ExecuteSqlRawAsync(PetitionSql.LockRow, [petitionId], cancellationToken);
        var old = await db.PetitionImages.Where(i => i.PetitionId == petitionId).Select(i => i.Hash).SingleOrDefaultAsync(cancellationToken);
        await db.PetitionImages.Where(i => i.PetitionId == petitionId).ExecuteDeleteAsync(cancellationToken);
        if (replacement is not null)
        {
            db.PetitionImages.Add(replacement);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return old;
    }

    private async Task DeleteFileIfUnusedAsync(string hash, CancellationToken cancellationToken)
    {
        var file = FileFor(hash);
        if (file is not null && !await db.PetitionImages.AnyAsync(i => i.Hash == hash, cancellationToken))
        {
            File.Delete(file);
        }
    }

    private string? FileFor(string hash) => Directory is null ? null : System.IO.Path.Combine(Directory, hash + ".jpg");
}
