using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Hostile;

/// <summary>
/// The hostile-input corpus (issue 9): every form field and route, each with every value of <see cref="HostileValues"/>,
/// plus missing, doubled and unknown fields and wrong content types. Never a 5xx, and a refusal saves nothing.
/// </summary>
public sealed class HostileCorpusTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task SignForm_EveryFieldWithEveryHostileValue_NeverFailsAndARefusalSavesNothing()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var corpus = new Corpus(App);

        await corpus.PostFormAsync(browser, $"/p/{petition.Slug}", "form#sign");

        corpus.AssertNoFailures();
        // The anonymous sign form has no token field since its page is cached (issue 14): one field fewer to vary.
        Assert.True(corpus.Cases >= 340, $"{corpus.Cases} cases");
    }

    [Fact]
    public async Task AccountForms_EveryFieldWithEveryHostileValue_NeverFailAndARefusalSavesNothing()
    {
        var corpus = new Corpus(App);
        foreach (var (path, form) in new[] { ("/account/register", "form[action='/account/register']"), ("/account/login", "form[action='/account/login']"), ("/account/forgot-password", "form[action='/account/forgot-password']") })
        {
            using var browser = App.CreateBrowser();
            await corpus.PostFormAsync(browser, path, form);
        }

        corpus.AssertNoFailures();
        Assert.True(corpus.Cases >= 350, $"{corpus.Cases} cases");
    }

    [Fact]
    public async Task OrganizerForms_EveryFieldWithEveryHostileValue_NeverFailAndARefusalSavesNothing()
    {
        var (user, browser) = await App.SignInNewUserAsync();
        using var _ = browser;
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", "Chair", "jane@example.test").CreateDeliverableAsync(App, user);
        var corpus = new Corpus(App);

        await corpus.PostFormAsync(browser, "/start", "form[action='/start']");
        await corpus.PostFormAsync(browser, $"/dashboard/p/{petition.Slug}/edit", $"form[action='/dashboard/p/{petition.Slug}/edit']");
        await corpus.PostFormAsync(browser, $"/dashboard/p/{petition.Slug}/updates/new", $"form[action='/dashboard/p/{petition.Slug}/updates/new']");
        await corpus.PostFormAsync(browser, $"/dashboard/p/{petition.Slug}/deliver", $"form[action='/dashboard/p/{petition.Slug}/deliver/preview']");
        await corpus.PostFormAsync(browser, $"/dashboard/p/{petition.Slug}/close", $"form[action='/dashboard/p/{petition.Slug}/close']");

        corpus.AssertNoFailures();
        Assert.True(corpus.Cases >= 800, $"{corpus.Cases} cases");
    }

    [Fact]
    public async Task RecipientResponseForm_EveryFieldWithEveryHostileValue_NeverFailsAndARefusalSavesNothing()
    {
        var petition = await new PetitionBuilder().Closed().CreateAsync(App.Services);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow.AddDays(-1));
        using var recipient = App.CreateBrowser();
        var corpus = new Corpus(App);

        await corpus.PostFormAsync(recipient, delivered.Link + "/respond", $"form[action='{delivered.Link}/respond']");

        corpus.AssertNoFailures();
        Assert.True(corpus.Cases >= 100, $"{corpus.Cases} cases");
    }

    [Fact]
    public async Task QueriesAndRoutes_WithEveryHostileValue_NeverFail()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var (_, organizer) = await App.SignInNewUserAsync();
        using var _ = organizer;
        using var visitor = App.CreateBrowser();
        var corpus = new Corpus(App);

        foreach (var template in new[]
        {
            "/search?q={v}", "/search?q=road&page={v}", "/petitions?status={v}", "/petitions?category={v}", "/petitions?sort={v}",
            "/petitions?after={v}", "/petitions?before={v}", "/petitions.json?status={v}", "/petitions.json?after={v}",
            $"/p/{petition.Slug}.json?{{v}}={{v}}", $"/p/{petition.Slug}?{{v}}", "/p/{v}", "/p/{v}.json", "/s/confirm/{v}", "/d/{v}", "/d/{v}/respond",
            "/d/{v}/signatures.csv", "/email/stop/{v}", "/u/{v}", "/error/{v}", "/account/reset-password?token={v}&email={v}",
            "/account/confirm?userId={v}&token={v}",
        })
        {
            await corpus.GetEachAsync(visitor, template);
        }

        await corpus.GetEachAsync(organizer, "/dashboard/p/{v}");
        await corpus.GetEachAsync(organizer, "/dashboard/p/{v}/export.csv");
        await corpus.GetEachAsync(organizer, "/dashboard?show={v}");

        corpus.AssertNoFailures();
        Assert.True(corpus.Cases >= 800, $"{corpus.Cases} cases");
    }
}
