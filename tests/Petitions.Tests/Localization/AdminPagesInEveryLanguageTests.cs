using System.Net;
using System.Text.RegularExpressions;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Localization;

/// <summary>
/// The admin pages (users and roles, the audit log) and the integrity pages (signature search, invalidation, the list
/// of invalidations, the trending panel) under /fa/ and /fr/: the page's language and direction, a few translated
/// texts, Persian digits and validation messages, and no English word left in Persian. People, petitions and reasons
/// are Persian, so a Latin word left is the site's own text without a resource.
/// </summary>
public sealed partial class AdminPagesInEveryLanguageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string PersianTitle = "آزادی زندانیان سیاسی";
    private const string PersianReason = "امضاهای ساختگی از یک شبکه";
    private static readonly string[] PersianSigners = ["علی رضایی", "سارا محمدی", "رضا کریمی"];

    [Fact]
    public async Task IntegrityPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var petition = await new PetitionBuilder().WithTitle(PersianTitle).CreateAsync(App.Services);
        var network = $"172.{Random.Shared.Next(16, 32)}.{Random.Shared.Next(0, 256)}";
        await App.WithDbAsync(async db =>
        {
            foreach (var (name, i) in PersianSigners.Select((n, i) => (n, i)))
            {
                var builder = new SignatureBuilder(petition.Id).Named(name).WithEmail($"signer-{Guid.NewGuid():N}@example.test").From("IR", "تهران");
                var signature = (i == 2 ? builder.Pending() : builder.Confirmed()).Build();
                signature.IpAddress = $"{network}.{i + 1}";
                db.Signatures.Add(signature);
            }

            await db.SaveChangesAsync();
        });
        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var browser = await App.LoggedInVisitorAsync(moderator);
        var query = $"petition={petition.Id}&ip={Uri.EscapeDataString(network + ".0/24")}&country=ir";

        var search = await browser.GetAsync("/fa/admin/signatures?" + query);
        Assert.Equal(HttpStatusCode.OK, search.Status);
        AssertPersianPage(search, "search", "یافتن امضاها");
        Assert.Equal("۳", search.Text("[data-count=matches]"));
        Assert.Contains("۲ تأییدشده، ۱ در انتظار تأیید", search.Text(".match-states"), StringComparison.Ordinal);
        Assert.Contains("ایران", search.Text(".match-states"), StringComparison.Ordinal);
        Assert.Contains("علی رضایی", search.Text("table.signature-matches"), StringComparison.Ordinal);
        Assert.Contains("در انتظار تأیید", search.Text("table.signature-matches"), StringComparison.Ordinal);

        var empty = await browser.GetAsync("/fa/admin/signatures");
        AssertPersianPage(empty, "empty search", "نشانی آی‌پی یا بازهٔ نشانی");

        var ask = await browser.GetAsync("/fa/admin/signatures/invalidate?" + query);
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        AssertPersianPage(ask, "invalidate", "باطل کردن امضاها");
        Assert.Equal("۳", ask.Text("[data-count=invalidatable]"));
        Assert.Equal("باطل کردن ۳ امضا", ask.Text("form[action='/fa/admin/signatures/invalidate'] button[type=submit]").Trim());

        var noReason = await browser.SubmitAsync(ask.Form("form[action='/fa/admin/signatures/invalidate']"), [new("reason", " ")]);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Contains("بنویسید چرا این امضاها باطل می‌شوند", noReason.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Contains("بنویسید چرا این امضاها باطل می‌شوند", noReason.Text("#Reason-error"), StringComparison.Ordinal);
        AssertPersianPage(noReason, "invalidate without a reason", "باطل کردن امضاها");

        var done = await browser.SubmitAsync(noReason.Form("form[action='/fa/admin/signatures/invalidate']"), [new("reason", PersianReason)]);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var list = await browser.GetAsync(done.Location!.OriginalString);
        AssertPersianPage(list, "invalidations", "ابطال‌ها");
        Assert.Contains("۲ امضای تأییدشده و ۱ امضای در انتظار تأیید باطل شد", list.Text(".alert-success"), StringComparison.Ordinal);
        Assert.Contains(PersianReason, list.Text("table.invalidations"), StringComparison.Ordinal);

        var after = await browser.GetAsync("/fa/admin/signatures?" + query);
        Assert.Contains("۳ باطل‌شده", after.Text(".match-states"), StringComparison.Ordinal);
        Assert.Contains(PersianReason, after.Text("table.signature-matches"), StringComparison.Ordinal);
        AssertPersianPage(after, "search after invalidation", "باطل‌شده");

        var id = done.Location!.OriginalString.Split("done=")[1];
        var undone = await browser.SubmitAsync(list.Form($"form[action='/fa/admin/invalidations/{id}/undo']"), []);
        Assert.Equal(HttpStatusCode.Redirect, undone.Status);
        var afterUndo = await browser.GetAsync(undone.Location!.OriginalString);
        AssertPersianPage(afterUndo, "invalidations after undo", "باطل‌سازی برگردانده شد");

        // The trending panel and the protected-mode setting are parts of the moderation home page.
        var home = await browser.GetAsync("/fa/admin");
        Assert.Equal(("fa", "rtl"), (home.One("html").GetAttribute("lang"), home.One("html").GetAttribute("dir")));
        foreach (var part in new[] { "section[aria-labelledby=trending-title]", "section.protect-new-petitions" })
        {
            AssertNoEnglishIn(home.One(part), part);
        }

        Assert.Contains("فعالیت امضای پرتکرار", home.Text("#trending-title"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ip=not-an-address", "نشانی آی‌پی یا بازهٔ آی‌پی را وارد کنید")]
    [InlineData("from=2026-12-03T08:00&to=2026-12-03T07:00", "پایان باید پس از آغاز باشد")]
    [InlineData("petition=/p/there-is-no-such-petition", "هیچ دادخواستی این نشانی یا شماره را ندارد")]
    public async Task SignatureSearch_InPersian_ShowsPersianValidationMessages(string query, string message)
    {
        using var browser = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator, "Mod"));

        var page = await browser.GetAsync("/fa/admin/signatures?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(message, page.Text(".error-summary"), StringComparison.Ordinal);
        Assert.NotNull(page.Find(".field-error input"));
        AssertNoEnglish(page.Text(".error-summary"), "search errors");
        AssertPersianPage(page, "search with " + query, "یافتن امضاها");
    }

    [Fact]
    public async Task AdminPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        var tag = Guid.NewGuid().ToString("N")[..10];
        var person = await new UserBuilder().WithEmail($"maryam-{tag}@example.test").Named("مریم رضایی").CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(admin);

        var users = await browser.GetAsync($"/fa/admin/users?q={tag}");
        Assert.Equal(HttpStatusCode.OK, users.Status);
        AssertPersianPage(users, "users", "کاربران و نقش‌ها");
        Assert.Contains("مریم رضایی", users.Text("tbody tr"), StringComparison.Ordinal);
        Assert.Equal("هیچ", users.Text("tbody tr .roles"));

        var granted = await browser.SubmitAsync(users.Form($"form[action='/fa/admin/users/{person.Id}/roles']:has(input[name=role][value={AdminRoles.Moderator}])"), []);
        Assert.Equal(HttpStatusCode.Redirect, granted.Status);
        var after = await browser.GetAsync(granted.Location!.OriginalString);
        AssertPersianPage(after, "users after granting", "نقش داده شد.");
        Assert.Equal("ناظر", after.Text("tbody tr .roles"));

        var self = await browser.SubmitAsync(
            (await browser.GetAsync($"/fa/admin/users?q={Uri.EscapeDataString(admin.Email)}")).Form($"form[action='/fa/admin/users/{admin.Id}/roles']:has(input[name=role][value={AdminRoles.Admin}])"), []);
        AssertPersianPage(await browser.GetAsync(self.Location!.OriginalString), "users after revoking one's own role", "نمی‌توانید نقش مدیر را از خودتان بگیرید");

        var none = await browser.GetAsync("/fa/admin/users?q=" + Uri.EscapeDataString("هیچ‌کس-" + tag));
        AssertPersianPage(none, "users, none found", "هیچ حسابی پیدا نشد.");

        var audit = await browser.GetAsync($"/fa/admin/audit?actor={Uri.EscapeDataString(admin.Email)}");
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        AssertPersianPage(audit, "audit", "گزارش رویدادها");
        Assert.Equal("۱ رویداد", audit.Text(".audit-total"));
        Assert.Contains("دادن نقش", audit.Text("select#action"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminAndIntegrityPages_InFrench_AreTranslated()
    {
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var browser = await App.LoggedInVisitorAsync(admin);

        var users = await browser.GetAsync($"/fr/admin/users?q={Uri.EscapeDataString(admin.Email)}");
        AssertFrench(users);
        Assert.Equal("Utilisateurs et rôles", users.Text("h1"));
        Assert.Equal("Rechercher par adresse e-mail ou par nom", users.Text("label[for=q]"));

        var search = await browser.GetAsync("/fr/admin/signatures");
        AssertFrench(search);
        Assert.Equal("Trouver des signatures", search.Text("h1"));

        var invalid = await browser.GetAsync("/fr/admin/signatures?domain=no%20such");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("Saisissez un domaine de messagerie, par exemple example.com", invalid.Text(".error-summary"), StringComparison.Ordinal);

        var audit = await browser.GetAsync("/fr/admin/audit?action=NoSuchAction");
        AssertFrench(audit);
        Assert.Equal("Journal d’audit", audit.Text("h1"));
        Assert.Equal("0 entrée", audit.Text(".audit-total"));

        var invalidations = await browser.GetAsync("/fr/admin/invalidations");
        AssertFrench(invalidations);
        Assert.Equal("Invalidations", invalidations.Text("h1"));
    }

    private static void AssertFrench(HtmlPage page)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(("fr", "ltr"), (page.One("html").GetAttribute("lang"), page.One("html").GetAttribute("dir")));
    }

    private static void AssertPersianPage(HtmlPage page, string where, string expected)
    {
        Assert.Equal(("fa", "rtl"), (page.One("html").GetAttribute("lang"), page.One("html").GetAttribute("dir")));
        var main = page.One("main");
        var text = HtmlPage.Normalize(main.TextContent);
        Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{where} does not say «{expected}»: {text}");
        AssertNoEnglishIn(main, where);
        AssertNoEnglish(page.Title.Replace(page.Meta("og:site_name") ?? "\0", "", StringComparison.Ordinal), where + " title");
    }

    /// <summary>
    /// What people typed or the site recorded as data (names, addresses, reasons, petitions' titles) is marked with
    /// dir="auto", dir="ltr" or &lt;bdi&gt;; the rest is the site's own text. Checked on a copy.
    /// </summary>
    private static void AssertNoEnglishIn(AngleSharp.Dom.IElement element, string where)
    {
        var copy = (AngleSharp.Dom.IElement)element.Clone(true);
        foreach (var hidden in copy.QuerySelectorAll($"script, style, [dir=auto], [dir=ltr], bdi, code, [lang]:not([lang=fa])").ToList())
        {
            hidden.Remove();
        }

        AssertNoEnglish(HtmlPage.Normalize(copy.TextContent), where);
        foreach (var attribute in new[] { "aria-label", "alt", "title", "placeholder" })
        {
            foreach (var e in copy.QuerySelectorAll($"[{attribute}]"))
            {
                AssertNoEnglish(e.GetAttribute(attribute)!, $"{where} [{attribute}]");
            }
        }

        foreach (var option in copy.QuerySelectorAll("option"))
        {
            AssertNoEnglish(option.TextContent, $"{where} option");
        }
    }

    /// <summary>Latin letters are allowed only in data: email and web addresses, domains, IPv6 addresses, country codes.</summary>
    private static void AssertNoEnglish(string text, string where)
    {
        var words = LatinWord().Matches(Address().Replace(text, " ")).Select(m => m.Value).Distinct().Where(w => w is not ("IR" or "FR")).ToList();
        Assert.True(words.Count == 0, $"{where} has English left: {string.Join(", ", words)}\n{text}");
    }

    [GeneratedRegex(@"\S+@\S+|https?://\S+|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b|[0-9A-Fa-f]*:[0-9A-Fa-f:]+(?:/\d+)?")]
    private static partial Regex Address();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
