using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Dashboard;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using SkiaSharp;

namespace Petitions.Tests.Reach;

/// <summary>The petition image: uploaded on the dashboard, checked by content, re-encoded without EXIF, served in sizes.</summary>
public sealed class ImageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Upload_JpegWithGpsExif_ServedUprightWithoutExifAndShownOnPageCardsAndOpenGraph()
    {
        var (owner, petition) = await OwnedOpenPetitionAsync();
        var upload = TestImages.JpegWithGpsExif(800, 400);
        Assert.True(TestImages.Contains(upload, TestImages.Exif) && TestImages.Contains(upload, TestImages.LatitudeBytes()), "The test file must carry EXIF with GPS.");
        using var browser = await App.LoggedInVisitorAsync(owner);

        var saved = await UploadAsync(browser, petition.Slug, upload, "holiday.jpg", "image/jpeg");

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var confirmation = await browser.GetAsync(saved.Location!.ToString());
        Assert.Contains("Your image is saved", confirmation.Text("main"), StringComparison.Ordinal);

        var page = await App.CreateVisitor().GetAsync($"/p/{petition.Slug}");
        var img = page.One(".petition-image img");
        var src = img.GetAttribute("src")!;
        Assert.Matches("^/images/[0-9a-f]{64}/960\\.jpg$", src);
        Assert.Equal($"Picture for the petition “{petition.Title}”", img.GetAttribute("alt"));

        using var client = App.CreateVisitor().Client;
        using var response = await client.GetAsync(new Uri(src, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        var served = await response.Content.ReadAsByteArrayAsync();
        Assert.False(TestImages.Contains(served, TestImages.Exif), "The served image still has an EXIF block.");
        Assert.False(TestImages.Contains(served, TestImages.LatitudeBytes()), "The served image still has the GPS latitude.");
        using (var decoded = SKBitmap.Decode(served))
        {
            // Orientation 6 was applied to the pixels before the EXIF went: 800 × 400 comes out 400 × 800.
            Assert.Equal((400, 800), (decoded.Width, decoded.Height));
        }

        var stored = await App.WithDbAsync(db => db.PetitionImages.SingleAsync());
        Assert.False(TestImages.Contains(stored.Content!, TestImages.Exif), "The stored master still has an EXIF block.");
        Assert.Equal($"http://localhost/images/{stored.Hash}/1200.jpg", page.Meta("og:image"));
        Assert.Equal($"http://localhost/images/{stored.Hash}/1200.jpg", page.Meta("twitter:image"));

        var home = await App.CreateVisitor().GetAsync("/");
        Assert.Contains(home.All(".petition-cards img.card-image"), i => i.GetAttribute("src") == $"/images/{stored.Hash}/640.jpg" && i.GetAttribute("alt") == $"Picture for the petition “{petition.Title}”");

        var browse = await App.CreateVisitor().GetAsync("/petitions?status=all");
        var card = browse.One($".browse-item[data-id='{petition.Id}']");
        var cardImage = card.QuerySelector("img.browse-image");
        Assert.NotNull(cardImage);
        Assert.Equal($"/images/{stored.Hash}/640.jpg", cardImage.GetAttribute("src"));
        Assert.Equal($"Picture for the petition “{petition.Title}”", cardImage.GetAttribute("alt"));
    }

    [Fact]
    public async Task Upload_PngAndWebP_AcceptedAndServedAsJpegAndWebP()
    {
        var (owner, petition) = await OwnedOpenPetitionAsync();
        using var browser = await App.LoggedInVisitorAsync(owner);

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(browser, petition.Slug, TestImages.Encode(1000, 500, SKEncodedImageFormat.Png), "a.png", "image/png")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(browser, petition.Slug, TestImages.Encode(1000, 500, SKEncodedImageFormat.Webp), "b.webp", "image/webp")).Status);

        var image = await App.WithDbAsync(db => db.PetitionImages.SingleAsync());
        Assert.Equal((1000, 500), (image.Width, image.Height));
        using var client = App.CreateVisitor().Client;
        using var webp = await client.GetAsync(new Uri($"/images/{image.Hash}/640.webp", UriKind.Relative));
        Assert.Equal("image/webp", webp.Content.Headers.ContentType!.MediaType);
        using (var decoded = SKBitmap.Decode(await webp.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((640, 320), (decoded.Width, decoded.Height));
        }

        using var odd = await client.GetAsync(new Uri($"/images/{image.Hash}/641.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, odd.StatusCode);
        using var unknown = await client.GetAsync(new Uri($"/images/{new string('a', 64)}/640.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("text", "The image must be a JPEG, PNG or WebP file")]
    [InlineData("gif", "The image must be a JPEG, PNG or WebP file")]
    [InlineData("truncated-jpeg", "The image could not be read: save it again as a JPEG, PNG or WebP file")]
    [InlineData("tiny", "The image must be at least 200 pixels wide and 100 pixels high")]
    [InlineData("too-big", "The image must be 5 MB or smaller")]
    [InlineData("empty", "Choose an image to upload")]
    public async Task Upload_BadFile_RefusedWithMessageNextToTheFieldAndNothingSaved(string kind, string message)
    {
        var (owner, petition) = await OwnedOpenPetitionAsync();
        byte[] bytes = kind switch
        {
            "text" => "Not an image at all, whatever its name says."u8.ToArray(),
            "gif" => [.. "GIF89a"u8, .. new byte[100]],
            "truncated-jpeg" => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, .. new byte[64]],
            "tiny" => TestImages.Encode(50, 50, SKEncodedImageFormat.Png),
            "too-big" => [0xFF, 0xD8, 0xFF, .. new byte[(5 * 1024 * 1024) + 1]],
            _ => [],
        };
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await UploadAsync(browser, petition.Slug, bytes, "photo.jpg", "image/jpeg");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Equal(message, page.One(".error-summary a[href='#image']").TextContent);
        Assert.Equal("Error: " + message, page.Text("#image-error"));
        Assert.Contains("image-error", page.One("input#image[type=file]").GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionImages.CountAsync()));
    }

    [Fact]
    public async Task ImagePages_OtherOrganizerGets404AndAnonymousIsSentToLogin()
    {
        var (_, petition) = await OwnedOpenPetitionAsync();
        var stranger = await new UserBuilder().CreateAsync(App.Services);
        using var strangerBrowser = await App.LoggedInVisitorAsync(stranger);

        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync($"/dashboard/p/{petition.Slug}/image")).Status);
        var token = await strangerBrowser.AntiforgeryTokenAsync();
        using var content = Multipart(TestImages.Encode(800, 400, SKEncodedImageFormat.Jpeg), "a.jpg", "image/jpeg", token);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.PostAsync($"/dashboard/p/{petition.Slug}/image", content)).Status);
        using var remove = new FormUrlEncodedContent([new(TestBrowser.AntiforgeryField, token)]);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.PostAsync($"/dashboard/p/{petition.Slug}/image/remove", remove)).Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionImages.CountAsync()));

        using var anonymous = App.CreateVisitor();
        AccountSteps.AssertRedirectsToLogin(await anonymous.GetAsync($"/dashboard/p/{petition.Slug}/image"), $"/dashboard/p/{petition.Slug}/image");
    }

    [Fact]
    public async Task Remove_DeletesTheImageFromThePage()
    {
        var (owner, petition) = await OwnedOpenPetitionAsync();
        using var browser = await App.LoggedInVisitorAsync(owner);
        await UploadAsync(browser, petition.Slug, TestImages.Encode(800, 400, SKEncodedImageFormat.Jpeg), "a.jpg", "image/jpeg");
        var hash = await App.WithDbAsync(db => db.PetitionImages.Select(i => i.Hash).SingleAsync());

        var form = (await browser.GetAsync($"/dashboard/p/{petition.Slug}/image")).Form("form[action$='/image/remove']");
        var removed = await browser.SubmitAsync(form, []);

        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionImages.CountAsync()));
        Assert.Null((await App.CreateVisitor().GetAsync($"/p/{petition.Slug}")).Find(".petition-image"));
        using var client = App.CreateVisitor().Client;
        using var gone = await client.GetAsync(new Uri($"/images/{hash}/320.jpg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task StoragePath_KeepsTheImageOnDiskAndServesIt()
    {
        var directory = Directory.CreateTempSubdirectory("petition-images-");
        try
        {
            await using var node = App.WithSettings(("Storage:Path", directory.FullName));
            var owner = await new UserBuilder().CreateAsync(node.Services);
            var petition = await node.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder());
            using var browser = node.CreateVisitor();
            await browser.LogInAsync(owner);

            Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(browser, petition.Slug, TestImages.JpegWithGpsExif(800, 400), "a.jpg", "image/jpeg")).Status);

            var row = await App.WithDbAsync(db => db.PetitionImages.SingleAsync());
            Assert.Null(row.Content);
            var file = Path.Combine(directory.FullName, "images", row.Hash + ".jpg");
            Assert.True(File.Exists(file));
            Assert.False(TestImages.Contains(await File.ReadAllBytesAsync(file), TestImages.LatitudeBytes()));
            using var client = node.CreateVisitor().Client;
            using var response = await client.GetAsync(new Uri($"/images/{row.Hash}/320.jpg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<(TestUser Owner, Petition Petition)> OwnedOpenPetitionAsync()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithSignatureCount(12));
        return (owner, petition);
    }

    private static async Task<HtmlPage> UploadAsync(TestBrowser browser, string slug, byte[] bytes, string fileName, string contentType)
    {
        var form = await browser.GetAsync($"/dashboard/p/{slug}/image");
        using var content = Multipart(bytes, fileName, contentType, form.AntiforgeryToken("form[enctype='multipart/form-data']"));
        return await browser.PostAsync($"/dashboard/p/{slug}/image", content);
    }

    private static MultipartFormDataContent Multipart(byte[] bytes, string fileName, string contentType, string token)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent
        {
            { new StringContent(token), TestBrowser.AntiforgeryField },
            { file, "image", fileName },
        };
    }
}
