using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;

namespace Petitions.Tests.Browse;

/// <summary>
/// The JSON API is output-cached and rate-limited. Each cache test changes the database behind the app's back: an
/// answer that still shows the old value came from the cache. The app runs with <see cref="KeepingOutputCacheStore"/>,
/// which keeps entries until evicted, so nothing depends on how fast the test runs.
/// </summary>
public sealed class OpenDataCacheTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task GetPetitionJson_WithRandomQueryStrings_IsServedFromOneCachedCopy()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        var store = new KeepingOutputCacheStore();
        await using var variant = WithStore(store);
        using var browser = variant.CreateBrowser();
        var client = browser.Client;
        Assert.Equal("Light the towpath", await TitleAsync(client, $"/p/{petition.Slug}.json"));

        await RenameAsync(petition.Id, "Changed behind the cache");

        foreach (var query in new[] { "?x=random", $"?x={Guid.NewGuid():N}", "?slug=other&status=closed&utm_source=feed", "?" })
        {
            Assert.Equal("Light the towpath", await TitleAsync(client, $"/p/{petition.Slug}.json{query}"));
        }

        Assert.Single(store.Keys);
    }

    [Fact]
    public async Task GetListJson_UnknownParametersAndValues_ShareTheDefaultListsCachedCopy()
    {
        await new ListedPetitionBuilder().Titled("Open one").CreateAsync(App.Services);
        var store = new KeepingOutputCacheStore();
        await using var variant = WithStore(store);
        using var browser = variant.CreateBrowser();
        var client = browser.Client;
        Assert.Equal("Open one", await FirstListedTitleAsync(client, "/petitions.json"));

        await App.WithDbAsync(db => db.Petitions.ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, "Changed behind the cache")));

        foreach (var query in new[] { "?x=random", "?status=nonsense", "?STATUS=open&sort=most-signed", "?status=open&utm_source=feed", "?category=" })
        {
            Assert.Equal("Open one", await FirstListedTitleAsync(client, "/petitions.json" + query));
        }

        Assert.Single(store.Keys);

        // A parameter that changes the answer has its own copy.
        Assert.Empty(await ListedAsync(client, "/petitions.json?status=closed"));
        Assert.Equal(2, store.Keys.Count);
    }

    [Fact]
    public async Task GetPetitionJson_SignedInVisitor_GetsTheCachedCopyToo()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        var user = await new UserBuilder().CreateAsync(App.Services);
        var store = new KeepingOutputCacheStore();
        await using var variant = WithStore(store);
        using var anonymous = variant.CreateBrowser();
        using var signedIn = variant.CreateBrowser();
        await signedIn.LogInAsync(user);
        Assert.Equal("Light the towpath", await TitleAsync(anonymous.Client, $"/p/{petition.Slug}.json"));

        await RenameAsync(petition.Id, "Changed behind the cache");

        // A session cookie is no way around the cache.
        Assert.Equal("Light the towpath", await TitleAsync(signedIn.Client, $"/p/{petition.Slug}.json?x=1"));
        Assert.Single(store.Keys);
    }

    [Fact]
    public async Task GetPetitionJson_AfterTheOrganizerEdits_ShowsTheEditAtOnce()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").AddressedTo("Jane Smith", "Council leader")
            .CreateOwnedAsync(App.Services, user.Id);
        var store = new KeepingOutputCacheStore();
        await using var variant = WithStore(store);
        using var visitor = variant.CreateBrowser();
        using var owner = variant.CreateBrowser();
        await owner.LogInAsync(user);
        Assert.Equal("Light the towpath", await TitleAsync(visitor.Client, $"/p/{petition.Slug}.json"));
        Assert.Equal("Light the towpath", await FirstListedTitleAsync(visitor.Client, "/petitions.json"));

        var result = await owner.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/edit",
            new PetitionFormBuilder().WithTitle("Light the whole towpath").BuildForEdit());

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("Light the whole towpath", await TitleAsync(visitor.Client, $"/p/{petition.Slug}.json"));
        Assert.Equal("Light the whole towpath", await FirstListedTitleAsync(visitor.Client, "/petitions.json"));
    }

    [Fact]
    public async Task EvictingThePetitionPages_AlsoForgetsTheJson()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        var store = new KeepingOutputCacheStore();
        await using var variant = WithStore(store);
        using var browser = variant.CreateBrowser();
        var client = browser.Client;
        Assert.Equal("Light the towpath", await TitleAsync(client, $"/p/{petition.Slug}.json"));
        Assert.Equal("Light the towpath", await FirstListedTitleAsync(client, "/petitions.json"));
        await RenameAsync(petition.Id, "Renamed");

        // What publishing, editing, updates, closing, deliveries and responses do.
        await variant.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PetitionsController.PagePolicy, CancellationToken.None);

        Assert.Equal("Renamed", await TitleAsync(client, $"/p/{petition.Slug}.json"));
        Assert.Equal("Renamed", await FirstListedTitleAsync(client, "/petitions.json"));
    }

    [Fact]
    public async Task GetJson_OverTheApiLimit_Is429JsonAndLeavesThePagesAlone()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        await using var variant = App.WithSettings(("RateLimiting:ApiPermitsPerMinute", "3"));
        using var browser = variant.CreateBrowser();
        var client = browser.Client;
        Assert.Equal("Light the towpath", await TitleAsync(client, $"/p/{petition.Slug}.json"));
        Assert.Equal("Light the towpath", await TitleAsync(client, $"/p/{petition.Slug}.json?x=2"));
        Assert.Single(await ListedAsync(client, "/petitions.json"));

        using var refused = await client.GetAsync(new Uri($"/p/{petition.Slug}.json", UriKind.Relative));
        using var refusedList = await client.GetAsync(new Uri("/petitions.json", UriKind.Relative));

        foreach (var response in new[] { refused, refusedList })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("rate_limited", json.RootElement.GetProperty("error").GetString());
        }

        // The API's bucket is its own: the petition page still answers the same visitor.
        var page = await browser.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Light the towpath", page.Text("h1"));
    }

    private AppVariant WithStore(KeepingOutputCacheStore store) =>
        App.WithHost(builder => builder.ConfigureTestServices(services => services.AddSingleton<IOutputCacheStore>(store)));

    private Task<int> RenameAsync(long petitionId, string title) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, title)));

    private static async Task<string?> TitleAsync(HttpClient client, string url)
    {
        using var json = await GetJsonAsync(client, url);
        return json.RootElement.GetProperty("title").GetString();
    }

    private static async Task<string?> FirstListedTitleAsync(HttpClient client, string url) =>
        (await ListedAsync(client, url)).First();

    private static async Task<List<string?>> ListedAsync(HttpClient client, string url)
    {
        using var json = await GetJsonAsync(client, url);
        return json.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("title").GetString()).ToList();
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
