using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Counting;
using Petitions.Web.Features.Integrity;

namespace Petitions.Tests.Integrity;

/// <summary>
/// Signature search, invalidation and its undo, and trending activity, through the admin pages: the counts stay exact
/// (a recount agrees with the live count), every action is audited, and bad input gets the form's error summary.
/// </summary>
public sealed class SignatureIntegrityTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Search_ByPetitionAndCidr_ShowsTheCountFirst_ThenKeysetPages_WithEmails_AndIsAudited()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var other = await new PetitionBuilder().CreateAsync(App.Services);
        await AddAsync(petition.Id, 60, SignatureState.Confirmed, i => $"10.1.2.{i % 200}");
        await AddAsync(petition.Id, 5, SignatureState.Confirmed, _ => "192.0.2.1");
        await AddAsync(other.Id, 7, SignatureState.Confirmed, i => $"10.1.2.{i}");
        using var moderator = await ModeratorAsync(AdminRoles.Moderator);

        var first = await moderator.GetAsync($"/admin/signatures?petition=/p/{petition.Slug}&ip=10.1.2.0/24");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("60", first.Text("[data-count=matches]"));
        Assert.Equal(SignatureIntegrity.PageSize, first.All("table.signature-matches tbody tr").Count);
        Assert.All(first.All(".signer-email"), e => Assert.EndsWith("@spam.example", e.TextContent, StringComparison.Ordinal));
        var next = first.One("a[rel=next]").GetAttribute("href")!;
        var second = await moderator.GetAsync(next);
        Assert.Equal(10, second.All("table.signature-matches tbody tr").Count);
        Assert.Null(second.Find("a[rel=next]"));
        var firstIds = first.All("table.signature-matches tbody tr td:first-child").Select(td => long.Parse(td.TextContent, CultureInfo.InvariantCulture)).ToList();
        var secondIds = second.All("table.signature-matches tbody tr td:first-child").Select(td => long.Parse(td.TextContent, CultureInfo.InvariantCulture)).ToList();
        Assert.Empty(firstIds.Intersect(secondIds));
        Assert.True(firstIds.Min() > secondIds.Max());

        var everywhere = await moderator.GetAsync("/admin/signatures?ip=10.1.2.0/24");
        Assert.Equal("67", everywhere.Text("[data-count=matches]"));
        var someEmail = await App.WithDbAsync(db => db.Signatures.Where(s => s.PetitionId == petition.Id).Select(s => s.Email).FirstAsync());
        var byEmail = await moderator.GetAsync($"/admin/signatures?email={Uri.EscapeDataString("  " + someEmail.ToUpperInvariant() + " ")}");
        Assert.Equal("1", byEmail.Text("[data-count=matches]"));

        var audit = (await ModerationArrange.AuditAsync(App.Services)).Where(a => a.Action == AuditAction.SearchSignatures).ToList();
        Assert.Equal(4, audit.Count);
        Assert.Contains($"IP 10.1.2.0/24", audit[0].Reason, StringComparison.Ordinal);
        Assert.Equal(petition.Id, audit[0].PetitionId);
        Assert.DoesNotContain(audit, a => a.Reason!.Contains('@', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ip=10.0.0.0/99", "Enter an IP address or CIDR range")]
    [InlineData("ip=not-an-address", "Enter an IP address or CIDR range")]
    [InlineData("from=yesterday", "Enter the start as a date and time")]
    [InlineData("from=2026-12-03T08:00&to=2026-12-03T07:00", "The end must be after the start")]
    [InlineData("domain=no%20such", "Enter an email domain")]
    [InlineData("petition=/p/there-is-no-such-petition", "No petition has that address or number")]
    public async Task Search_WithBadInput_ShowsTheErrorSummary_NotA500_AndIsNotAudited(string query, string message)
    {
        using var moderator = await ModeratorAsync(AdminRoles.Moderator);

        var page = await moderator.GetAsync($"/admin/signatures?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(message, page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.NotNull(page.Find(".field-error input"));
        Assert.DoesNotContain(await ModerationArrange.AuditAsync(App.Services), a => a.Action == AuditAction.SearchSignatures);
    }

    [Fact]
    public async Task Invalidate_CountThenReason_StopsCounting_KeepsRowsMarked_PendingLinksStopConfirming_AdminUndoes_RecountAlwaysAgrees()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(10).CreateAsync(App.Services);
        await AddAsync(petition.Id, 6, SignatureState.Confirmed, _ => "198.51.100.7", counted: true);
        var pendingTokens = await AddAsync(petition.Id, 3, SignatureState.Pending, _ => "198.51.100.8");
        await AddAsync(petition.Id, 4, SignatureState.Confirmed, _ => "203.0.113.50", counted: true);
        var laterToken = (await AddAsync(petition.Id, 1, SignatureState.Pending, _ => "203.0.113.51"))[0];
        using var moderator = await ModeratorAsync(AdminRoles.Moderator);
        using var visitor = App.CreateBrowser();
        var criteria = $"petition={petition.Slug}&ip=198.51.100.0/24";

        var ask = await moderator.GetAsync($"/admin/signatures/invalidate?{criteria}");
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.Equal("9", ask.Text("[data-count=invalidatable]"));
        var form = ask.Form("form[action='/admin/signatures/invalidate']");
        var noReason = await moderator.SubmitAsync(form, []);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("Say why these signatures are invalidated", noReason.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(10, await StoredCountAsync(petition.Id));

        var done = await moderator.SubmitAsync(form, [new("reason", "Scripted run from one network")]);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        await visitor.WaitForShownCountAsync(petition.Slug, 4);
        await AssertRecountAgreesAsync(petition.Id, 4);
        var invalidated = await App.WithDbAsync(db => db.Signatures.AsNoTracking().Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Invalidated).ToListAsync());
        Assert.Equal(9, invalidated.Count);
        Assert.All(invalidated, s => Assert.Equal("Scripted run from one network", s.InvalidationReason));
        Assert.All(invalidated, s => Assert.True(s.InvalidatedAt is not null && s.InvalidatedById is not null && s.InvalidationId is not null));
        var record = await App.WithDbAsync(db => db.SignatureInvalidations.AsNoTracking().SingleAsync());
        Assert.Equal((6, 3), (record.ConfirmedCount, record.PendingCount));
        Assert.Equal([("FR", 4)], await CountriesAsync(petition.Id));

        // An invalidated pending signature's link no longer confirms; another one still does.
        await visitor.GetAsync($"/s/confirm/{pendingTokens[0]}");
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/s/confirm/{laterToken}")).Status);
        await visitor.WaitForShownCountAsync(petition.Slug, 5);
        Assert.Equal(9, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Invalidated)));

        // Moderators cannot undo; an admin can, once.
        var list = await moderator.GetAsync("/admin/invalidations");
        Assert.Null(list.Find("form[action$='/undo']"));
        var moderatorUndo = await moderator.PostAsync($"/admin/invalidations/{record.Id}/undo", [new(TestBrowser.AntiforgeryField, await moderator.AntiforgeryTokenAsync())]);
        Assert.Equal(HttpStatusCode.Forbidden, moderatorUndo.Status);
        using var admin = await ModeratorAsync(AdminRoles.Admin);
        var adminList = await admin.GetAsync("/admin/invalidations");
        var undo = await admin.SubmitAsync(adminList.Form($"form[action='/admin/invalidations/{record.Id}/undo']"), []);
        Assert.Equal(HttpStatusCode.Redirect, undo.Status);
        await visitor.WaitForShownCountAsync(petition.Slug, 11);
        await AssertRecountAgreesAsync(petition.Id, 11);
        Assert.Equal(3, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Pending)));
        var again = await admin.PostAsync($"/admin/invalidations/{record.Id}/undo", [new(TestBrowser.AntiforgeryField, adminList.AntiforgeryToken($"form[action='/admin/invalidations/{record.Id}/undo']"))]);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);

        // Restored pending signatures confirm again; invalidating once more and confirming keeps the recount exact.
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/s/confirm/{pendingTokens[1]}")).Status);
        var second = await moderator.GetAsync($"/admin/signatures/invalidate?petition={petition.Slug}&ip=203.0.113.50");
        await moderator.SubmitAsync(second.Form("form[action='/admin/signatures/invalidate']"), [new("reason", "Second look")]);
        await visitor.WaitForShownCountAsync(petition.Slug, 8);
        await AssertRecountAgreesAsync(petition.Id, 8);

        var actions = (await ModerationArrange.AuditAsync(App.Services)).Select(a => a.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == AuditAction.InvalidateSignatures));
        Assert.Equal(1, actions.Count(a => a == AuditAction.UndoInvalidation));
    }

    [Fact]
    public async Task Invalidate_WithoutSignerCriteria_IsRefused_SoAWholePetitionIsNeverInvalidatedByAccident()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(2).CreateAsync(App.Services);
        await AddAsync(petition.Id, 2, SignatureState.Confirmed, _ => "192.0.2.9", counted: true);
        using var moderator = await ModeratorAsync(AdminRoles.Moderator);

        var page = await moderator.GetAsync($"/admin/signatures/invalidate?petition={petition.Slug}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Narrow the search first", page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Null(page.Find("form[method=post][action='/admin/signatures/invalidate']"));
    }

    [Fact]
    public async Task Trending_FindsBusyAddressesNetworksAndDomains_InTheLastHour_SkipsCommonProviders_AndLinksToTheSearch()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        await AddAsync(petition.Id, 21, SignatureState.Pending, _ => "203.0.113.9");
        await AddAsync(petition.Id, 20, SignatureState.Confirmed, _ => "198.51.100.1");
        await AddAsync(petition.Id, 25, SignatureState.Confirmed, _ => "192.0.2.77", createdAt: DateTimeOffset.UtcNow.AddHours(-2));
        await AddAsync(petition.Id, 201, SignatureState.Confirmed, i => $"100.{64 + (i / 250)}.{i % 250}.1", domain: "spam-farm.test");
        await AddAsync(petition.Id, 250, SignatureState.Confirmed, i => $"101.{64 + (i / 250)}.{i % 250}.1", domain: "gmail.com");
        var worker = App.Services.GetRequiredService<TrendingWorker>();

        await Eventually.TrueAsync(async () => await worker.RunOnceAsync(CancellationToken.None) is not null, "the trending job got its lock");

        var findings = (await App.WithDbAsync(db => db.TrendingFindings.AsNoTracking().Where(f => f.PetitionId == petition.Id).ToListAsync()))
            .Select(f => (f.Kind, f.Value, f.Count)).OrderBy(f => f.Kind).ThenBy(f => f.Value).ToList();
        Assert.Equal([(TrendingKind.Ip, "203.0.113.9", 21), (TrendingKind.Network, "203.0.113.0/24", 21), (TrendingKind.Domain, "spam-farm.test", 201)], findings);

        using var moderator = await ModeratorAsync(AdminRoles.Moderator);
        var home = await moderator.GetAsync("/admin");
        Assert.Equal("3", home.Text("[data-count=trending]"));
        var see = home.One("tr.trending-finding[data-kind=Ip] a[href^='/admin/signatures?']").GetAttribute("href")!;
        var search = await moderator.GetAsync(see);
        Assert.Equal("21", search.Text("[data-count=matches]"));
        var invalidate = home.One("tr.trending-finding[data-kind=Domain] a[href^='/admin/signatures/invalidate?']").GetAttribute("href")!;
        Assert.Equal("201", (await moderator.GetAsync(invalidate)).Text("[data-count=invalidatable]"));
    }

    public static TheoryData<string, string> NewRoutes() => new()
    {
        { "GET", "/admin/signatures?ip=10.0.0.1" },
        { "GET", "/admin/signatures/invalidate?ip=10.0.0.1" },
        { "POST", "/admin/signatures/invalidate" },
        { "GET", "/admin/invalidations" },
        { "POST", "/admin/invalidations/{id}/undo" },
    };

    [Theory]
    [MemberData(nameof(NewRoutes))]
    public async Task Every_integrity_route_refuses_strangers_and_organizers_and_changes_nothing(string method, string template)
    {
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services);
        await AddAsync(petition.Id, 2, SignatureState.Confirmed, _ => "10.0.0.1", counted: true);
        var invalidation = await App.WithDbAsync(async db =>
        {
            var row = new SignatureInvalidation { At = DateTimeOffset.UtcNow, Reason = "test", Criteria = "IP 10.0.0.1/32" };
            db.SignatureInvalidations.Add(row);
            await db.SaveChangesAsync();
            return row;
        });
        var path = template.Replace("{id}", invalidation.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var organizer in new[] { false, true })
        {
            using var browser = organizer ? await App.LoggedInVisitorAsync(owner) : App.CreateVisitor();
            var page = method == "GET" ? await browser.GetAsync(path)
                : await browser.PostAsync(path, [new(TestBrowser.AntiforgeryField, await browser.AntiforgeryTokenAsync()), new("ip", "10.0.0.1"), new("reason", "spam")]);
            if (organizer)
            {
                Assert.Equal(HttpStatusCode.Forbidden, page.Status);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.StartsWith("/account/login", page.PathAndQuery(), StringComparison.Ordinal);
            }
        }

        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
        Assert.Equal(2, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)));
        Assert.Null((await App.WithDbAsync(db => db.SignatureInvalidations.AsNoTracking().SingleAsync())).UndoneAt);
    }

    private async Task<TestBrowser> ModeratorAsync(string role) =>
        await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, role, role));

    /// <summary>Signatures on the petition from the given addresses; returns their confirmation tokens.</summary>
    private async Task<List<string>> AddAsync(long petitionId, int count, SignatureState state, Func<int, string> ip, bool counted = false, DateTimeOffset? createdAt = null, string domain = "spam.example")
    {
        var builders = Enumerable.Range(0, count).Select(i =>
        {
            var builder = new SignatureBuilder(petitionId).WithEmail($"signer-{i}-{Guid.NewGuid():N}@{domain}").From("FR", "Lyon");
            builder = state == SignatureState.Confirmed ? builder.Confirmed(counted) : builder.Pending();
            return createdAt is null ? builder : builder.CreatedAt(createdAt.Value);
        }).ToList();
        await App.WithDbAsync(async db =>
        {
            for (var i = 0; i < builders.Count; i++)
            {
                var signature = builders[i].Build();
                signature.IpAddress = ip(i);
                db.Signatures.Add(signature);
                if (builders[i].BuildCountEvent() is { } countEvent)
                {
                    db.CountEvents.Add(countEvent);
                }
            }

            await db.SaveChangesAsync();
        });
        return builders.ConvertAll(b => b.Token);
    }

    private async Task AssertRecountAgreesAsync(long petitionId, int expected)
    {
        await Eventually.TrueAsync(async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petitionId)), "every event is counted");
        Assert.Equal(expected, await StoredCountAsync(petitionId));
        var counter = App.Services.GetRequiredService<CountingWorker>();
        await Eventually.TrueAsync(() => counter.RecountAllAsync(CancellationToken.None), "a recount got the lock");
        Assert.Equal(expected, await StoredCountAsync(petitionId));
        Assert.Equal(expected, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petitionId && s.State == SignatureState.Confirmed)));
    }

    private Task<int> StoredCountAsync(long petitionId) =>
        App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.SignatureCount).SingleAsync());

    private Task<List<(string Country, int Count)>> CountriesAsync(long petitionId) =>
        App.WithDbAsync(async db => (await db.PetitionCountryCounts.AsNoTracking().Where(c => c.PetitionId == petitionId && c.Count != 0)
            .OrderBy(c => c.Country).ToListAsync()).ConvertAll(c => (c.Country, c.Count)));
}
