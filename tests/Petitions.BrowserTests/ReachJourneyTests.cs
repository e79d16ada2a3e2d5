using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using Petitions.Web.Features.Images;
using SkiaSharp;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Petitions.BrowserTests.JourneySteps;

namespace Petitions.BrowserTests;

/// <summary>The widget inside an iframe on a page of another origin, and the petition image on its page.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class ReachJourneyTests(BrowserAppFixture app, ITestOutputHelper output)
{
    private static readonly string ScreensFolder = Environment.GetEnvironmentVariable("REACH_SCREENS") ?? "/work/screens/reach";

    [Fact]
    public async Task Widget_InAnIframeOnAnotherOrigin_ShowsTheCountAndSignOpensThePetition()
    {
        var petition = await SeedWithImageAsync();
        var embedUrl = new Uri(app.BaseUrl, $"/p/{petition.Slug}/embed");
        var pageUrl = new Uri(app.BaseUrl, $"/p/{petition.Slug}");
        await using var otherSite = OtherSite.Start(new Dictionary<string, string>
        {
            ["/news"] = HostPage("Eastfield neighbourhood news", $"<iframe src=\"{embedUrl}\" title=\"Petition\" width=\"100%\" height=\"220\" loading=\"lazy\"></iframe>"),
            ["/framed-page"] = HostPage("Framing the petition page itself", $"<iframe src=\"{pageUrl}\" title=\"Petition page\" width=\"100%\" height=\"400\"></iframe>"),
        });
        Assert.NotEqual(new Uri(otherSite.BaseUrl).GetLeftPart(UriPartial.Authority), app.BaseUrl.GetLeftPart(UriPartial.Authority));

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();

            await page.GotoAsync(otherSite.BaseUrl + "news");
            var widget = page.FrameLocator("iframe");
            await Expect(widget.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();
            await Expect(widget.Locator(".widget-count")).ToHaveTextAsync("3 have signed. Let's get to 100!");
            await Expect(widget.Locator("progress")).ToHaveAttributeAsync("value", "3");
            await Expect(widget.Locator("img.widget-image")).ToBeVisibleAsync();
            // Visible means laid out, not loaded: wait until the browser has finished with it, then ask whether it decoded.
            await Expect(widget.Locator("img.widget-image")).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await widget.Locator("img.widget-image").EvaluateAsync<bool>("img => img.naturalWidth > 0"), "The image in the widget did not load.");
            var frameBox = await page.Locator("iframe").BoundingBoxAsync();
            var signBox = await widget.GetByRole(AriaRole.Link, new() { Name = "Sign this petition" }).BoundingBoxAsync();
            Assert.True(signBox!.Y + signBox.Height <= frameBox!.Y + frameBox.Height, $"At {width} px the Sign button is cut off by the 220 px frame.");
            await ShotAsync(page, $"embed-{width}", output);
            Copy($"embed-{width}");

            var opened = await context.RunAndWaitForPageAsync(() => widget.GetByRole(AriaRole.Link, new() { Name = "Sign this petition" }).ClickAsync());
            await opened.WaitForLoadStateAsync();
            Assert.Equal(pageUrl + "#sign", opened.Url);
            await Expect(opened.GetByRole(AriaRole.Heading, new() { Name = petition.Title, Level = 1 })).ToBeVisibleAsync();
            await Expect(opened.Locator(".petition-image img")).ToBeVisibleAsync();
            await opened.CloseAsync();
        }

        // Any other page refuses to be framed (frame-ancestors 'none'): Chromium shows its error page instead.
        await using (var context = await app.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(otherSite.BaseUrl + "framed-page");
            await Expect(page.FrameLocator("iframe").GetByRole(AriaRole.Heading, new() { Name = petition.Title })).ToHaveCountAsync(0);
            var frame = page.Frames.Single(f => f != page.MainFrame);
            Assert.DoesNotContain(petition.Title, await frame.ContentAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PetitionImage_ShowsOnThePageAtDesktopAndPhoneWidths()
    {
        var petition = await SeedWithImageAsync();
        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, IsMobile = width < 500 });
            var page = await context.NewPageAsync();

            await page.GotoAsync($"/p/{petition.Slug}");

            var image = page.Locator(".petition-image img");
            await Expect(image).ToBeVisibleAsync();
            await Expect(image).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await image.EvaluateAsync<bool>("img => img.naturalWidth > 0"), "The petition image did not load.");
            var box = await image.BoundingBoxAsync();
            Assert.True(box!.Width <= width, $"The image is wider ({box.Width}) than the viewport ({width}).");
            await ShotAsync(page, $"page-with-image-{width}", output);
            Copy($"page-with-image-{width}");
        }
    }

    private async Task<Web.Data.Petition> SeedWithImageAsync()
    {
        await using var db = app.CreateDbContext();
        var petition = await PetitionBuilder.Realistic().WithConfirmedSupporters(3).SaveAsync(db);
        var (image, refusal) = ImageProcessor.Process(Photo(1600, 900));
        Assert.Null(refusal);
        db.PetitionImages.Add(new PetitionImage
        {
            PetitionId = petition.Id,
            Hash = image!.Hash,
            Width = image.Width,
            Height = image.Height,
            Content = image.Jpeg,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return petition;
    }

    /// <summary>A street of trees under a sky, drawn so the screenshots show something like a photo.</summary>
    private static byte[] Photo(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height), [new SKColor(120, 180, 235), new SKColor(225, 240, 250)], SKShaderTileMode.Clamp) };
            canvas.DrawRect(0, 0, width, height, sky);
            using var grass = new SKPaint { Color = new SKColor(90, 150, 70) };
            canvas.DrawRect(0, height * 0.65f, width, height * 0.35f, grass);
            using var road = new SKPaint { Color = new SKColor(80, 80, 85) };
            canvas.DrawRect(width * 0.4f, height * 0.65f, width * 0.2f, height * 0.35f, road);
            using var leaves = new SKPaint { Color = new SKColor(40, 110, 50), IsAntialias = true };
            using var trunk = new SKPaint { Color = new SKColor(100, 70, 40) };
            for (var i = 0; i < 8; i++)
            {
                var x = (i % 2 == 0 ? 0.08f : 0.72f) * width + (i / 2 * 0.05f * width);
                var y = height * 0.62f;
                canvas.DrawRect(x - 8, y - 40, 16, 60, trunk);
                canvas.DrawCircle(x, y - 80, 70 - (i * 5), leaves);
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static string HostPage(string title, string iframe) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title>
        <style>body{font-family:Georgia,serif;max-width:720px;margin:2rem auto;padding:0 1rem;background:#faf7f0} iframe{border:0;max-width:560px;display:block}</style></head>
        <body><h1>{{title}}</h1><p>Residents are collecting signatures for more street trees. Add yours:</p>{{iframe}}<p>Posted by the residents' association.</p></body></html>
        """;

    private static void Copy(string name)
    {
        Directory.CreateDirectory(ScreensFolder);
        File.Copy(Path.Combine(BrowserAppFixture.ScreenshotFolder, name + ".png"), Path.Combine(ScreensFolder, name + ".png"), overwrite: true);
    }

    /// <summary>A second web server on its own port (so another origin), serving fixed HTML pages.</summary>
    private sealed class OtherSite : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task loop;

        private OtherSite(IReadOnlyDictionary<string, string> pages)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                BaseUrl = $"http://localhost:{((IPEndPoint)probe.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}/";
            }

            listener.Prefixes.Add(BaseUrl);
            listener.Start();
            loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception) when (!listener.IsListening)
                    {
                        return;
                    }

                    var found = pages.TryGetValue(context.Request.Url!.AbsolutePath, out var html);
                    var body = Encoding.UTF8.GetBytes(html ?? "Not found");
                    context.Response.StatusCode = found ? 200 : 404;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public string BaseUrl { get; }

        public static OtherSite Start(IReadOnlyDictionary<string, string> pages) => new(pages);

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            listener.Close();
            await loop;
        }
    }
}
