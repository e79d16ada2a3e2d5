using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Petitions.Web.Data;
using Petitions.Web.Features.Organize;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Images;

public sealed record ImagePageModel(Petition Petition, PetitionImage? Current);

public sealed class ImagesController(
    ImageStore store,
    ManagedPetitions managed,
    IOutputCacheStore pageCache,
    TimeProvider clock) : Controller
{
    public const string FieldName = "image";
    public const string ImagePolicy = "petition-image";

    // Room for a 5 MB file and the multipart framing; a bigger file still gets its message on the field.
    private const int MaxRequestBytes = 12 * 1024 * 1024;

    [HttpGet("/images/{hash:regex(^[[0-9a-f]]{{64}}$)}/{width:int}.{format:regex(^(jpg|webp)$)}")]
    [OutputCache(PolicyName = ImagePolicy)]
    public async Task<IActionResult> Serve(string hash, int width, string format, CancellationToken cancellationToken)
    {
        if (!ImageProcessor.Widths.Contains(width))
        {
            return NotFound();
        }

        var master = await store.LoadAsync(hash, cancellationToken);
        if (master is null)
        {
            return NotFound();
        }

        var imageFormat = format == "webp" ? ImageFormat.WebP : ImageFormat.Jpeg;
        var bytes = ImageProcessor.Render(master, width, imageFormat);
        // The address is the hash of the content, so it never changes meaning.
        Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return File(bytes, imageFormat == ImageFormat.WebP ? "image/webp" : "image/jpeg");
    }

    [Authorize]
    [HttpGet("/dashboard/p/{slug}/image")]
    public async Task<IActionResult> Edit(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        return petition is null ? NotFound() : View(new ImagePageModel(petition, await store.FindForPetitionAsync(petition.Id, cancellationToken)));
    }

    [Authorize]
    [HttpPost("/dashboard/p/{slug}/image")]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
    public async Task<IActionResult> Upload(string slug, IFormFile? image, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        string? refusal;
        ProcessedImage? processed = null;
        if (image is null || image.Length == 0)
        {
            refusal = "Choose an image to upload";
        }
        else if (image.Length > ImageProcessor.MaxBytes)
        {
            refusal = "The image must be 5 MB or smaller";
        }
        else
        {
            using var buffer = new MemoryStream((int)image.Length);
            await image.CopyToAsync(buffer, cancellationToken);
            (processed, refusal) = ImageProcessor.Process(buffer.ToArray());
        }

        if (processed is null)
        {
            ModelState.AddModelError(FieldName, refusal ?? "The image could not be read");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new ImagePageModel(petition, await store.FindForPetitionAsync(petition.Id, cancellationToken)));
        }

        await store.SaveAsync(petition.Id, processed, clock.GetUtcNow(), cancellationToken);
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        return Redirect($"/dashboard/p/{petition.Slug}/image?saved=1");
    }

    [Authorize]
    [HttpPost("/dashboard/p/{slug}/image/remove")]
    public async Task<IActionResult> Remove(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        await store.RemoveAsync(petition.Id, cancellationToken);
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
        return Redirect($"/dashboard/p/{petition.Slug}/image?removed=1");
    }
}
