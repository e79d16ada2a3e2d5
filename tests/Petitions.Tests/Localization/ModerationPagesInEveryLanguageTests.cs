using System.Net;
using System.Text.RegularExpressions;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Dashboard;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Localization;

/// <summary>
/// The moderators' pages (home, reports, review, block lists) under /fa/ and /fr/: the page's language and direction, a
/// few of their translated texts, Persian validation messages, and no English word left in a Persian page's main
/// content. Petitions, names, reasons and reports are Persian, so any Latin word left is the site's own text.
/// </summary>
public sealed partial class ModerationPagesInEveryLanguageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string PersianTitle = "آزادی زندانیان سیاسی";
    private const string PersianBody = "ما از دولت می‌خواهیم همهٔ زندانیان سیاسی را آزاد کند.";

    private sealed record Arranged(Petition Queued, Petition Reported, Petition Hidden);

    private async Task<Arranged> ArrangeAsync()
    {
        var (queued, _) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.AwaitingModeration, PersianTitle + " در صف");
        var (reported, _) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.Open, PersianTitle);
        var (hidden, _) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.Hidden, PersianTitle + " پنهان");
        await App.Services.SaveAsync(
            new SignatureBuilder(reported.Id).Named("علی رضایی").From("IR", "تهران").WithReason("برای آزادی").ConfirmedAt(DateTimeOffset.UtcNow.AddHours(-3)),
            new SignatureBuilder(reported.Id).Named("سارا محمدی").From("IR", "شیراز").ConfirmedAt(DateTimeOffset.UtcNow.AddHours(-2)));
        await App.WithDbAsync(async db =>
        {
            db.PetitionReports.Add(new PetitionReport { PetitionId = reported.Id, Reason = ModerationReason.Spam, Details = "تبلیغ کالا", IpAddress = "192.0.2.1", CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) });
            db.PetitionReports.Add(new PetitionReport { PetitionId = reported.Id, Reason = ModerationReason.Offensive, IpAddress = "192.0.2.2", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        return new Arranged(queued, reported, hidden);
    }

    [Fact]
    public async Task ModerationPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var (queued, reported, hidden) = await ArrangeAsync();
        using var admin = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin"));

        // Leaves an audit row with a Persian reason, and a block to list.
        var review = await admin.GetAsync($"/fa/admin/petitions/{reported.Slug}");
        var paused = await admin.SubmitAsync(review.Form($"form[action='/fa/admin/petitions/{reported.Slug}/pause-signing']"), [new("pauseReason", "امضاهای خودکار")]);
        Assert.Equal(HttpStatusCode.Redirect, paused.Status);
        Assert.Equal($"/fa/admin/petitions/{reported.Slug}", paused.Location!.ToString());
        var blocks = await admin.GetAsync("/fa/admin/blocks");
        var blocked = await admin.SubmitAsync(blocks.Form("form[action='/fa/admin/blocks']"), [new("Form.Kind", "Domain"), new("Form.Value", "spam.example"), new("Form.Reason", "ثبت‌نام انبوه")]);
        Assert.Equal(HttpStatusCode.Redirect, blocked.Status);

        var pages = new (string Url, string Expected)[]
        {
            ("/fa/admin", "در انتظار بررسی"),
            ("/fa/admin/reports", "گزارش‌های باز، گروه‌بندی‌شده بر پایهٔ دادخواست"),
            ($"/fa/admin/petitions/{queued.Slug}", "تأیید دادخواست"),
            ($"/fa/admin/petitions/{reported.Slug}", "پنهان کردن دادخواست"),
            ($"/fa/admin/petitions/{hidden.Slug}", "بازگرداندن دادخواست"),
            ("/fa/admin/blocks", "فهرست‌های مسدودسازی"),
        };

        foreach (var (url, expected) in pages)
        {
            var page = await admin.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, $"{url} answered {(int)page.Status}");
            AssertPersianPage(page, url, expected);
        }

        var home = await admin.GetAsync("/fa/admin");
        Assert.Equal("۱", home.Text("[data-count=queue]"));
        Assert.Equal("۲", home.Text("[data-count=reports]"));
        Assert.Contains("توقف امضا", home.Text(".audit-log"), StringComparison.Ordinal);
        Assert.Contains("امضاهای خودکار", home.Text(".audit-log"), StringComparison.Ordinal);

        var open = await admin.GetAsync($"/fa/admin/petitions/{reported.Slug}");
        Assert.Equal("باز", open.Text(".petition-status"));
        Assert.Contains("امضا در این دادخواست متوقف است", open.Text(".pause-signing h2"), StringComparison.Ordinal);
        Assert.Contains("هرزنامه یا تبلیغ است", open.Text("ul.reports"), StringComparison.Ordinal);
        Assert.Matches("[۰-۹]{4}", open.Text("ul.reports"));
        Assert.DoesNotMatch("[0-9]", open.Text("ul.reports"));

        var approved = await admin.SubmitAsync((await admin.GetAsync($"/fa/admin/petitions/{queued.Slug}")).Form($"form[action='/fa/admin/petitions/{queued.Slug}/approve']"), []);
        Assert.Equal(HttpStatusCode.Redirect, approved.Status);
        var done = await admin.GetAsync(approved.Location!.ToString());
        AssertPersianPage(done, "approved", "دادخواست تأیید شد. به مالک آن ایمیل فرستاده شد.");
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, queued.Id)).Status);
    }

    [Fact]
    public async Task ModerationForms_InPersian_ShowPersianValidationMessages()
    {
        var (_, reported, _) = await ArrangeAsync();
        using var admin = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin"));
        var review = await admin.GetAsync($"/fa/admin/petitions/{reported.Slug}");

        var hide = await admin.SubmitAsync(review.Form($"form[action='/fa/admin/petitions/{reported.Slug}/hide']"), [new("Form.Reason", "Other"), new("Form.Note", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, hide.Status);
        Assert.Equal(("fa", "rtl"), (hide.One("html").GetAttribute("lang"), hide.One("html").GetAttribute("dir")));
        var summary = hide.Text(".error-summary");
        Assert.Contains("بنویسید آن دلیل دیگر چیست", summary, StringComparison.Ordinal);
        Assert.Contains("بنویسید آن دلیل دیگر چیست", hide.Text("#Form_Note-error"), StringComparison.Ordinal);
        AssertNoEnglish(summary, "hide form errors");
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, reported.Id)).Status);

        var noReason = await admin.SubmitAsync(review.Form($"form[action='/fa/admin/petitions/{reported.Slug}/hide']"), [new("Form.Reason", ""), new("Form.Note", "")]);
        Assert.Contains("یک دلیل انتخاب کنید", noReason.Text("#Form_Reason-error"), StringComparison.Ordinal);

        var pause = await admin.SubmitAsync(review.Form($"form[action='/fa/admin/petitions/{reported.Slug}/pause-signing']"), [new("pauseReason", " ")]);
        Assert.Equal(HttpStatusCode.BadRequest, pause.Status);
        Assert.Contains("بنویسید چرا امضا متوقف می‌شود", pause.Text("#PauseReason-error"), StringComparison.Ordinal);
        AssertPersianPage(pause, "pause form errors", "بنویسید چرا امضا متوقف می‌شود");

        var blocks = await admin.GetAsync("/fa/admin/blocks");
        var block = await admin.SubmitAsync(blocks.Form("form[action='/fa/admin/blocks']"), [new("Form.Kind", "Ip"), new("Form.Value", "not an address"), new("Form.Reason", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, block.Status);
        var blockSummary = block.Text(".error-summary");
        Assert.Contains("یک نشانی آی‌پی یا بازهٔ نشانی وارد کنید", blockSummary, StringComparison.Ordinal);
        Assert.Contains("بنویسید چرا این مسدود می‌شود", blockSummary, StringComparison.Ordinal);
        Assert.Equal("not an address", block.One("#Form_Value").GetAttribute("value"));
        Assert.Equal(0, await App.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.SigningBlocks)));
    }

    [Fact]
    public async Task ModerationPages_InFrench_AreTranslated()
    {
        var (queued, reported, _) = await ArrangeAsync();
        using var admin = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin"));

        var home = await admin.GetAsync("/fr/admin");
        AssertFrench(home);
        Assert.Equal("Modération", home.Text("h1"));
        Assert.Contains("En attente de modération", home.Text("#queue-title"), StringComparison.Ordinal);

        var review = await admin.GetAsync($"/fr/admin/petitions/{queued.Slug}");
        AssertFrench(review);
        Assert.Equal("Approuver la pétition", review.Text($"form[action='/fr/admin/petitions/{queued.Slug}/approve'] button"));
        Assert.Equal("en attente de modération", review.Text(".petition-status"));

        var reject = await admin.SubmitAsync(review.Form($"form[action='/fr/admin/petitions/{queued.Slug}/reject']"), [new("Form.Reason", ""), new("Form.Note", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, reject.Status);
        Assert.Contains("Choisissez une raison", reject.Text(".error-summary"), StringComparison.Ordinal);

        var reports = await admin.GetAsync("/fr/admin/reports");
        AssertFrench(reports);
        Assert.Equal("Signalements", reports.Text("h1"));
        Assert.Contains("Classer les 2 signalements", reports.Text($"form[action='/fr/admin/petitions/{reported.Slug}/reports/dismiss'] button"), StringComparison.Ordinal);

        var blocks = await admin.GetAsync("/fr/admin/blocks");
        AssertFrench(blocks);
        Assert.Equal("Listes de blocage", blocks.Text("h1"));
    }

    private static void AssertFrench(HtmlPage page)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(("fr", "ltr"), (page.One("html").GetAttribute("lang"), page.One("html").GetAttribute("dir")));
    }

    private static void AssertPersianPage(HtmlPage page, string url, string expected)
    {
        Assert.Equal(("fa", "rtl"), (page.One("html").GetAttribute("lang"), page.One("html").GetAttribute("dir")));
        var main = page.One("main");
        var text = HtmlPage.Normalize(main.TextContent);
        Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{url} does not say «{expected}»: {text}");

        // What people typed (titles, names, reasons, addresses) is marked dir="auto" or <bdi>, or carries its own
        // language; everything else in the page is the site's own text. A copy, so the caller's page stays whole.
        main = (AngleSharp.Dom.IElement)main.Clone(true);
        foreach (var hidden in main.QuerySelectorAll($"script, style, [dir=auto], bdi, [lang]:not([lang=fa])").ToList())
        {
            hidden.Remove();
        }

        text = HtmlPage.Normalize(main.TextContent);
        AssertNoEnglish(text + " " + page.Title.Replace(page.Meta("og:site_name") ?? "\0", "", StringComparison.Ordinal), url);
        foreach (var attribute in new[] { "aria-label", "alt", "title", "placeholder" })
        {
            foreach (var element in main.QuerySelectorAll($"[{attribute}]"))
            {
                AssertNoEnglish(element.GetAttribute(attribute)!, $"{url} [{attribute}]");
            }
        }

        foreach (var label in main.QuerySelectorAll("option"))
        {
            AssertNoEnglish(label.TextContent, $"{url} option");
        }
    }

    /// <summary>Latin words are allowed only in email and web addresses, and in the site's own name.</summary>
    private static void AssertNoEnglish(string text, string where)
    {
        var words = LatinWord().Matches(Address().Replace(text, " ")).Select(m => m.Value).Distinct().Where(w => w != "Petitions").ToList();
        Assert.True(words.Count == 0, $"{where} has English left: {string.Join(", ", words)}\n{text}");
    }

    [GeneratedRegex(@"\S+@\S+|https?://\S+")]
    private static partial Regex Address();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
