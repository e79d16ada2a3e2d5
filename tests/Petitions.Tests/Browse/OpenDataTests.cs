using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Browse;

public sealed class OpenDataTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task GetPetitionJson_ReturnsThePublicFieldsWithoutEmails()
    {
        var petition = await new PetitionBuilder()
            .WithTitle("Light the towpath")
            .StartedBy("Canal Walkers")
            .WithSignatureCount(150)
            .WithGoal(100)
            .AddressedTo("Jane Porter", "Chair, Canal Trust", "jane.porter@example.test")
            .AddressedTo("The Mayor")
            .DeliveredTo(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), "Jane Porter")
            .CreateAsync(App.Services);
        await SignatureBuilder.CreateManyAsync(App.Services, [
            new SignatureBuilder(petition.Id).From("FR", "Lyon").Confirmed(),
            new SignatureBuilder(petition.Id).From("FR", "Paris").Confirmed(),
            new SignatureBuilder(petition.Id).From("DE", "Berlin").Confirmed(),
            new SignatureBuilder(petition.Id).From("DE", "Bonn").Pending(),
            new SignatureBuilder(petition.Id).From("IT", "Rome").Pending(),
        ]);
        // The counter adds the confirmations to the count and to the counts per country together.
        await Eventually.TrueAsync(
            async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)),
            "every confirmation is counted");
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri($"/p/{petition.Slug}.json", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var json = document.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(petition.Id, json.GetProperty("id").GetInt64());
        Assert.Equal(petition.Slug, json.GetProperty("slug").GetString());
        Assert.Equal("Light the towpath", json.GetProperty("title").GetString());
        Assert.Equal("open", json.GetProperty("status").GetString());
        Assert.Equal(153, json.GetProperty("signatureCount").GetInt32());
        Assert.Equal(200, json.GetProperty("goal").GetInt32()); // a passed goal of 100 moves on to the next step
        Assert.Equal($"http://localhost/p/{petition.Slug}", json.GetProperty("url").GetString());
        Assert.Equal("Canal Walkers", json.GetProperty("starter").GetString());
        Assert.Equal(petition.CreatedAt.ToUnixTimeSeconds(), json.GetProperty("createdAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(petition.PublishedAt!.Value.ToUnixTimeSeconds(), json.GetProperty("publishedAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("closedAt").ValueKind);

        var makers = json.GetProperty("decisionMakers").EnumerateArray().ToList();
        Assert.Equal(["Jane Porter", "The Mayor"], makers.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("Chair, Canal Trust", makers[0].GetProperty("titleOrOrganization").GetString());
        Assert.Equal(JsonValueKind.Null, makers[1].GetProperty("titleOrOrganization").ValueKind);

        var delivery = Assert.Single(json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), delivery.GetProperty("deliveredAt").GetDateTimeOffset());
        Assert.Equal(150, delivery.GetProperty("signatureCount").GetInt32());
        Assert.Equal("Jane Porter", Assert.Single(delivery.GetProperty("recipients").EnumerateArray()).GetProperty("name").GetString());

        // Counted confirmations only, by country, largest first.
        var countries = json.GetProperty("signaturesByCountry").EnumerateArray()
            .Select(c => (c.GetProperty("country").GetString(), c.GetProperty("name").GetString(), c.GetProperty("count").GetInt32()))
            .ToList();
        Assert.Equal([("FR", "France", 2), ("DE", "Germany", 1)], countries);

        Assert.DoesNotContain("@", body, StringComparison.Ordinal);
        Assert.DoesNotContain("email", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetPetitionJson_ClosedPetition_HasClosedStatusAndDate()
    {
        var petition = await new PetitionBuilder().Closed().CreateAsync(App.Services);
        using var client = App.CreateClient();

        var json = await GetJsonAsync(client, $"/p/{petition.Slug}.json", HttpStatusCode.OK);

        Assert.Equal("closed", json.GetProperty("status").GetString());
        Assert.Equal(petition.ClosedAt!.Value.ToUnixTimeSeconds(), json.GetProperty("closedAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Empty(json.GetProperty("signaturesByCountry").EnumerateArray());
    }

    [Fact]
    public async Task GetPetitionJson_HasOpenDataHeaders()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri($"/p/{petition.Slug}.json", UriKind.Relative));

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.CacheControl?.MaxAge);
        Assert.NotNull(response.Headers.CacheControl?.SharedMaxAge);
    }

    [Theory]
    [InlineData("no-such-petition")]
    [InlineData("{draft}")]
    public async Task GetPetitionJson_UnknownOrDraft_Returns404Json(string slug)
    {
        var draft = await new PetitionBuilder().Draft().CreateAsync(App.Services);
        using var client = App.CreateClient();

        var json = await GetJsonAsync(client, $"/p/{slug.Replace("{draft}", draft.Slug, StringComparison.Ordinal)}.json", HttpStatusCode.NotFound);

        Assert.Equal("not_found", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetPetitionPage_WithoutJsonSuffix_StillShowsThePage()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.Headers["Content-Type"].Split(';')[0]);
        Assert.Equal("Light the towpath", page.Text("h1"));
    }

    [Fact]
    public async Task GetListJson_FollowsNextLinksThroughEveryPetitionOnce()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            Enumerable.Range(0, 45).Select(i => new ListedPetitionBuilder().Titled($"Petition {i:00}").InCategory("Transport").WithSignatures(i % 3)));
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Other category").InCategory("Education"),
            new ListedPetitionBuilder().Titled("Transport draft").InCategory("Transport").Draft(),
            new ListedPetitionBuilder().Titled("Transport closed").InCategory("Transport").Closed());
        using var client = App.CreateClient();

        var titles = new List<string>();
        var pageSizes = new List<int>();
        string? url = "/petitions.json?category=Transport";
        string? self = null;
        while (url is not null)
        {
            Assert.True(pageSizes.Count < 10, "next links should end");
            var json = await GetJsonAsync(client, url, HttpStatusCode.OK);
            self ??= json.GetProperty("links").GetProperty("self").GetString();
            var data = json.GetProperty("data").EnumerateArray().ToList();
            pageSizes.Add(data.Count);
            titles.AddRange(data.Select(d => d.GetProperty("title").GetString()!));
            url = json.GetProperty("links").GetProperty("next").GetString();
            if (url is not null)
            {
                Assert.StartsWith("http://localhost/petitions.json?category=Transport&after=", url, StringComparison.Ordinal);
            }
        }

        Assert.Equal("http://localhost/petitions.json?category=Transport", self);
        Assert.Equal([20, 20, 5], pageSizes);
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"Petition {i:00}").Order(), titles.Order());
    }

    [Fact]
    public async Task GetListJson_ItemsHaveTheirFieldsAndLinks()
    {
        var petition = await new ListedPetitionBuilder()
            .Titled("Won the park")
            .StartedBy("Friends of the Park")
            .InCategory("Environment")
            .WithSignatures(77)
            .Victory()
            .CreateAsync(App.Services);
        using var client = App.CreateClient();

        var json = await GetJsonAsync(client, "/petitions.json?status=victory&sort=newest", HttpStatusCode.OK);

        var item = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Equal(petition.Id, item.GetProperty("id").GetInt64());
        Assert.Equal("Won the park", item.GetProperty("title").GetString());
        Assert.Equal("victory", item.GetProperty("status").GetString());
        Assert.Equal(77, item.GetProperty("signatureCount").GetInt32());
        Assert.Equal(100, item.GetProperty("goal").GetInt32());
        Assert.Equal("Friends of the Park", item.GetProperty("starter").GetString());
        Assert.Equal("Environment", item.GetProperty("category").GetString());
        Assert.Equal($"http://localhost/p/{petition.Slug}", item.GetProperty("url").GetString());
        Assert.Equal($"http://localhost/p/{petition.Slug}.json", item.GetProperty("jsonUrl").GetString());
        var links = json.GetProperty("links");
        Assert.Equal("http://localhost/petitions.json?status=victory&sort=newest", links.GetProperty("self").GetString());
        Assert.Equal(JsonValueKind.Null, links.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task GetListJson_HasOpenDataHeaders()
    {
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri("/petitions.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.CacheControl?.MaxAge);
        Assert.NotNull(response.Headers.CacheControl?.SharedMaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
    }

    [Theory]
    [InlineData("after=garbage")]
    [InlineData("before=MS5tb3N0LXNpZ25lZC41LjE&sort=closing-soon")]
    public async Task GetListJson_BadCursor_Returns400Json(string query)
    {
        using var client = App.CreateClient();

        var json = await GetJsonAsync(client, "/petitions.json?" + query, HttpStatusCode.BadRequest);

        Assert.Equal("bad_cursor", json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("status=nonsense&sort=nonsense")]
    [InlineData("category=%00")]
    public async Task GetListJson_UnknownValues_FallBackToTheDefaultList(string query)
    {
        await new ListedPetitionBuilder().Titled("Open one").CreateAsync(App.Services);
        using var client = App.CreateClient();

        var json = await GetJsonAsync(client, "/petitions.json?" + query, HttpStatusCode.OK);

        Assert.Equal("Open one", Assert.Single(json.GetProperty("data").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal("http://localhost/petitions.json", json.GetProperty("links").GetProperty("self").GetString());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected} from {url}, got {response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
