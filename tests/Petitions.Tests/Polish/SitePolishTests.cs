using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Browse;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Email;
using Petitions.Web.Features.Signing;
using Serilog.Core;
using Serilog.Events;

namespace Petitions.Tests.Polish;

/// <summary>Issue 15: HEAD, the "All" list and card progress, the header, the accessibility statement, emails, first start.</summary>
public sealed class SitePolishTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/petitions")]
    [InlineData("/petitions?status=all")]
    [InlineData("/search?q=potholes")]
    [InlineData("/privacy")]
    [InlineData("/accessibility")]
    [InlineData("/account/login")]
    [InlineData("/css/site.css")]
    [InlineData("/p/{slug}")]
    [InlineData("/p/no-such-petition")]
    [InlineData("/start")]
    public async Task Head_AnswersAsGetWouldWithoutABody(string path)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var url = path.Replace("{slug}", petition.Slug, StringComparison.Ordinal);
        using var browser = App.CreateBrowser();

        using var get = await browser.Client.GetAsync(new Uri(url, UriKind.Relative));
        using var head = await browser.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(url, UriKind.Relative)));

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        if (get.StatusCode == HttpStatusCode.OK)
        {
            Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Head_OnTheCachedPetitionPage_LeavesTheCachedGetWhole()
    {
        var petition = await new PetitionBuilder().WithTitle("Plant trees on Cedar Avenue").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        using var head = await browser.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"/p/{petition.Slug}", UriKind.Relative)));
        var page = await browser.GetAsync($"/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("Plant trees on Cedar Avenue", page.Text("h1"));
        Assert.NotNull(page.Find("form#sign"));
    }

    [Fact]
    public async Task Browse_All_ListsOpenClosedAndWonButNeverDrafts_EachCardWithProgressAndCount()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Still open").WithSignatures(30),
            new ListedPetitionBuilder().Titled("Finished").Closed().WithSignatures(1234),
            new ListedPetitionBuilder().Titled("Won").Victory().WithSignatures(70),
            new ListedPetitionBuilder().Titled("Secret draft").Draft().WithSignatures(5000));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?status=all");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("All petitions", page.Text("h1"));
        Assert.Equal(["Finished", "Won", "Still open"], page.All("li.browse-item h2 a").Select(a => HtmlPage.Normalize(a.TextContent)));
        Assert.DoesNotContain("Secret draft", page.Html, StringComparison.Ordinal);
        Assert.Contains(page.All("#browse-status option"), o => o.GetAttribute("value") == "all" && o.HasAttribute("selected") && o.TextContent.Trim() == "All");
        var finished = page.All("li.browse-item")[0];
        var bar = finished.QuerySelector("[role=progressbar]")!;
        Assert.Equal("1234", bar.GetAttribute("aria-valuenow"));
        Assert.Equal("2500", bar.GetAttribute("aria-valuemax"));
        Assert.Equal($"{1234:N0} of {2500:N0} signatures", HtmlPage.Normalize(finished.QuerySelector(".card-progress-count")!.TextContent));
        Assert.All(page.All("li.browse-item"), card => Assert.NotNull(card.QuerySelector("[role=progressbar] .progress-bar")));
    }

    [Fact]
    public async Task Home_EveryCardShowsProgressAndCount()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Open one").WithSignatures(12),
            new ListedPetitionBuilder().Titled("Won one").Victory().WithSignatures(40));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/");

        var cards = page.All(".petition-cards article");
        Assert.NotEmpty(cards);
        Assert.All(cards, card => Assert.NotNull(card.QuerySelector("[role=progressbar][aria-valuenow]")));
        Assert.Contains(cards, card => HtmlPage.Normalize(card.QuerySelector(".card-progress-count")!.TextContent).StartsWith("12 of ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessibilityStatement_IsLinkedFromEveryFooter()
    {
        using var browser = App.CreateBrowser();

        var home = await browser.GetAsync("/");
        var statement = await browser.GetAsync("/accessibility");

        Assert.NotNull(home.Find("footer a[href='/accessibility']"));
        Assert.Equal(HttpStatusCode.OK, statement.Status);
        Assert.Equal("Accessibility statement", statement.Text("h1"));
        Assert.Contains("WCAG", statement.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_LoggedIn_HasAPhoneMenuInADetailsElementWithAnAccountLink()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await browser.GetAsync("/");

        var menu = page.One("header details.site-menu");
        Assert.Equal("Menu", HtmlPage.Normalize(menu.QuerySelector("summary")!.TextContent));
        Assert.NotNull(menu.QuerySelector("a[href='/account']"));
        Assert.NotNull(menu.QuerySelector("a[href='/dashboard']"));
        Assert.NotNull(menu.QuerySelector("form[action='/account/logout']"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).Status);
    }

    [Fact]
    public async Task Emails_HaveAViewportAndNoFixedWidth()
    {
        var renderer = App.Services.GetRequiredService<EmailRenderer>();

        var email = await renderer.RenderAsync(EmailKind.AlreadySigned, new AlreadySignedEmail("Ada", "A title", "https://petitions.example/p/a-title", "https://petitions.example/s/withdraw/x"));

        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />", email.Html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!max-)width:\s*\d{3,}px", email.Html);
    }

    [Fact]
    public async Task FirstStart_OnAnEmptyDatabase_LogsNoErrorFromTheMigrationsHistoryProbe()
    {
        var database = $"petitions_first_start_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var logs = new LogCapture();
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(App.ConnectionString) { Database = database }.ConnectionString;
            await using (var first = App.WithHost(host =>
            {
                host.UseSetting("ConnectionStrings:Petitions", connection);
                host.UseSetting("Database:MigrateOnStartup", "true");
                host.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(logs));
            }))
            {
                _ = first.Server;
            }

            var errors = logs.Events.Where(e => e.Level >= LogEventLevel.Error).ToList();
            Assert.True(errors.Count == 0, string.Join('\n', errors.Select(LogCapture.Render)));
            await using var check = new NpgsqlConnection(connection);
            await check.OpenAsync();
            await using var applied = new NpgsqlCommand("SELECT count(*) FROM __ef_migrations_history", check);
            Assert.True((long)(await applied.ExecuteScalarAsync())! > 0);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestEnvironment.PostgresAdminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
