using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Admin;

public sealed class ReportingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task A_stranger_reports_a_petition_from_the_link_on_its_page()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var stranger = App.CreateVisitor();
        var page = await stranger.GetAsync($"/p/{petition.Slug}");
        Assert.Equal($"/p/{petition.Slug}/report", page.One("a[href$='/report']").GetAttribute("href"));

        var thanks = await ReportAsync(stranger, petition.Slug, "Spam", "Selling sunglasses.", "reader@example.test");

        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Contains("Thank you for your report", thanks.Html, StringComparison.Ordinal);
        var report = Assert.Single(await App.WithDbAsync(db => db.PetitionReports.ToListAsync()));
        Assert.Equal((petition.Id, ModerationReason.Spam, "Selling sunglasses.", "reader@example.test"), (report.PetitionId, report.Reason, report.Details, report.Email));
        Assert.Null(report.ClosedAt);
    }

    [Fact]
    public async Task Reports_of_one_petition_from_one_address_are_collapsed()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var stranger = App.CreateVisitor();

        await ReportAsync(stranger, petition.Slug, "Spam", "first");
        await ReportAsync(stranger, petition.Slug, "Offensive", "second");

        var report = Assert.Single(await App.WithDbAsync(db => db.PetitionReports.ToListAsync()));
        Assert.Equal((ModerationReason.Offensive, "second"), (report.Reason, report.Details));
    }

    [Fact]
    public async Task A_bot_filling_in_the_honeypot_is_thanked_and_nothing_is_stored()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var bot = App.CreateVisitor();

        var page = await ReportAsync(bot, petition.Slug, "Spam", "bot words", website: "http://spam.example");

        Assert.Contains("Thank you for your report", page.Html, StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionReports.CountAsync()));
    }

    [Fact]
    public async Task A_report_without_a_reason_shows_the_error_keeps_the_input_and_stores_nothing()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var stranger = App.CreateVisitor();

        var page = await ReportAsync(stranger, petition.Slug, "", "my details", "not-an-email");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        var summary = AccountSteps.ErrorSummary(page);
        Assert.Contains("Choose why you are reporting this petition", summary, StringComparison.Ordinal);
        Assert.Contains("Enter an email address in the correct format", summary, StringComparison.Ordinal);
        Assert.Equal("my details", page.One("textarea[name='Form.Details']").TextContent.Trim());
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionReports.CountAsync()));
    }

    [Fact]
    public async Task A_report_without_the_form_token_is_refused()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var stranger = App.CreateVisitor();

        var page = await stranger.PostAsync($"/p/{petition.Slug}/report", [new("Form.Reason", "Spam")]);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionReports.CountAsync()));
    }

    [Fact]
    public async Task Drafts_and_hidden_petitions_cannot_be_reported()
    {
        var (draft, _) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.Draft);
        var (hidden, _) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.Hidden);
        using var stranger = App.CreateVisitor();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/p/{draft.Slug}/report")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/p/{hidden.Slug}/report")).Status);
    }

    [Fact]
    public async Task Reports_are_grouped_by_petition_and_dismissing_closes_them_all()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services, title: "Ban leaf blowers on Sundays");
        for (var i = 0; i < 3; i++)
        {
            using var visitor = App.CreateVisitor();
            await ReportAsync(visitor, petition.Slug, i == 0 ? "Spam" : "Offensive");
        }

        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator);
        using var mod = await App.LoggedInVisitorAsync(moderator);
        Assert.Equal("3", (await mod.GetAsync("/admin")).Text("[data-count=reports]"));
        var reports = await mod.GetAsync("/admin/reports");
        var row = Assert.Single(reports.All("tbody tr"));
        Assert.Contains("Ban leaf blowers on Sundays", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", HtmlPage.Normalize(row.QuerySelectorAll("td")[1].TextContent));

        var dismissed = await mod.SubmitAsync(reports.Form($"form[action='/admin/petitions/{petition.Slug}/reports/dismiss']"), []);

        Assert.Equal(HttpStatusCode.Redirect, dismissed.Status);
        var stored = await App.WithDbAsync(db => db.PetitionReports.ToListAsync());
        Assert.All(stored, r => Assert.Equal((ReportOutcome?)ReportOutcome.Dismissed, r.Outcome));
        Assert.All(stored, r => Assert.Equal(moderator.Id, r.ClosedById));
        Assert.Equal("0", (await mod.GetAsync("/admin")).Text("[data-count=reports]"));
        Assert.Equal(AuditAction.DismissReports, Assert.Single(await ModerationArrange.AuditAsync(App.Services)).Action);
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
    }

    [Fact]
    public async Task Hiding_a_reported_petition_closes_its_reports_as_acted_on()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using (var visitor = App.CreateVisitor())
        {
            await ReportAsync(visitor, petition.Slug, "Illegal");
        }

        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));
        await mod.DecideAsync(petition.Slug, "hide", "Illegal");

        var report = Assert.Single(await App.WithDbAsync(db => db.PetitionReports.ToListAsync()));
        Assert.Equal((ReportOutcome?)ReportOutcome.Acted, report.Outcome);
    }

    [Fact]
    public async Task With_auto_hide_the_petition_is_hidden_once_enough_distinct_addresses_report_it()
    {
        await using var site = App.WithSettings(("Moderation:AutoHideReports", "2"));
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(site.Services);
        using var first = site.CreateVisitor();
        await ReportAsync(first, petition.Slug, "Spam");
        await ReportAsync(first, petition.Slug, "Spam");
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);

        using var second = site.CreateVisitor();
        await ReportAsync(second, petition.Slug, "Offensive");

        Assert.Equal(PetitionStatus.Hidden, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await second.GetAsync($"/p/{petition.Slug}")).Status);
        var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services));
        Assert.Equal((AuditAction.AutoHide, (string?)null), (audit.Action, audit.ActorId));
        // The reports stay open: they are what the moderators look at.
        Assert.Equal(2, await App.WithDbAsync(db => db.PetitionReports.CountAsync(r => r.ClosedAt == null)));
    }

    [Fact]
    public async Task Auto_hide_is_off_by_default()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        for (var i = 0; i < 5; i++)
        {
            using var visitor = App.CreateVisitor();
            await ReportAsync(visitor, petition.Slug, "Spam");
        }

        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
    }

    private static async Task<HtmlPage> ReportAsync(TestBrowser browser, string slug, string reason, string? details = null, string? email = null, string? website = null)
    {
        var form = await browser.GetAsync($"/p/{slug}/report");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var fields = new List<KeyValuePair<string, string>> { new("Form.Reason", reason), new("Form.Details", details ?? ""), new("Form.Email", email ?? "") };
        if (website is not null)
        {
            fields.Add(new("Form.Website", website));
        }

        return await browser.SubmitAsync(form.Form($"form[action='/p/{slug}/report']"), fields);
    }
}
