using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Petitions;

/// <summary>
/// The pages a CDN can keep: the same for every anonymous visitor, no cookie, public Cache-Control, an ETag, and
/// compressed copies chosen by Accept-Encoding. Signed-in visitors get their own, uncached.
/// </summary>
public sealed class PublicPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    // The tests count every 0.2 s: a shared cache may keep a page for the next whole second.
    private const string PublicCacheControl = "public, max-age=1, s-maxage=1, stale-while-revalidate=30, stale-if-error=86400";

    public static TheoryData<string> PublicPaths => new() { "/p/{slug}", "/", "/petitions", "/petitions?status=open", "/search?q=towpath", "/p/{slug}.json", "/petitions.json" };

    [Theory]
    [MemberData(nameof(PublicPaths))]
    public async Task Get_Anonymous_SetsNoCookieAndIsPublicWithAnETag(string path)
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        using var client = App.CreateClient();

        using var response = await client.GetAsync(path.Replace("{slug}", petition.Slug, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), "An anonymous public page must set no cookie.");
        Assert.Equal(PublicCacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal(["Accept-Encoding"], response.Headers.Vary);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
    }

    [Theory]
    [MemberData(nameof(PublicPaths))]
    public async Task Get_WithTheETag_Returns304WithoutABody(string path)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var client = App.CreateClient();
        var url = path.Replace("{slug}", petition.Slug, StringComparison.Ordinal);
        using var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
    }

    [Fact]
    public async Task Get_WithAnotherETag_ReturnsThePage()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/{petition.Slug}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-this-one\""));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(petition.Title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("deflate", null)]
    [InlineData("", null)]
    public async Task Get_PageIsSentInTheBestCodingTheClientTakes(string acceptEncoding, string? expected)
    {
        var petition = await new PetitionBuilder().WithTitle("Mend the bridge on Hill Lane").CreateAsync(App.Services);
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/{petition.Slug}");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        // Twice: the second one comes from the output cache, which must have kept each coding apart.
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.SendAsync(Clone(request));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.Contains("<h1 id=\"petition-title\" class=\"petition-title\" lang=\"en\" dir=\"ltr\">Mend the bridge on Hill Lane</h1>", Decode(bytes, expected), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_EachCoding_HasItsOwnETag()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var client = App.CreateClient();
        var tags = new List<string>();
        foreach (var coding in new[] { "br", "gzip", "identity" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/p/{petition.Slug}");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
            using var response = await client.SendAsync(request);
            tags.Add(response.Headers.ETag!.Tag);
        }

        Assert.Equal(3, tags.Distinct().Count());
    }

    [Fact]
    public async Task Get_SignedInOrganizer_GetsTheirOwnUncachedPageAndNobodyElseSeesIt()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var organizer = await App.LoggedInVisitorAsync(user);

        var own = await organizer.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Contains("no-store", own.Headers["Cache-Control"], StringComparison.Ordinal);
        Assert.DoesNotContain("public", own.Headers["Cache-Control"], StringComparison.Ordinal);
        Assert.False(own.Headers.ContainsKey("ETag"));
        Assert.NotNull(own.Find("form[action='/account/logout']"));
        Assert.False(string.IsNullOrEmpty(own.AntiforgeryToken("form#sign")));

        using var anonymous = App.CreateBrowser();
        var shared = await anonymous.GetAsync($"/p/{petition.Slug}");
        Assert.Null(shared.Find("form[action='/account/logout']"));
        Assert.NotNull(shared.Find("a[href='/account/login']"));
        Assert.Null(shared.Form("form#sign").QuerySelector($"input[name={TestBrowser.AntiforgeryField}]"));
        Assert.Equal(PublicCacheControl, shared.Headers["Cache-Control"]);
    }

    [Fact]
    public async Task Get_AnonymousAfterASignedInVisit_IsNotTheSignedInCopy()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var anonymous = App.CreateBrowser();
        var before = await anonymous.GetAsync($"/p/{petition.Slug}");
        using var organizer = await App.LoggedInVisitorAsync(user);

        var own = await organizer.GetAsync($"/p/{petition.Slug}");

        // The anonymous copy in the cache is not served to the signed-in visitor either.
        Assert.NotNull(own.Find("form[action='/account/logout']"));
        Assert.Null(before.Find("form[action='/account/logout']"));
    }

    [Fact]
    public async Task Get_UnknownPetition_Is404AndNotPublic()
    {
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/p/no-such-petition");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.False(page.Headers.TryGetValue("Cache-Control", out var cacheControl) && cacheControl.Contains("public", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private static string Decode(byte[] bytes, string? coding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decoded = coding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(decoded);
        return reader.ReadToEnd();
    }
}
