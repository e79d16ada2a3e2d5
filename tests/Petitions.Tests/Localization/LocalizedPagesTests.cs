using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Dashboard;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Email;

namespace Petitions.Tests.Localization;

/// <summary>
/// Every page outside the signer's journey, rendered under /fa/ and /fr/: the page's language and direction, a few of
/// its translated texts, Persian validation messages, and, for Persian, no English word left in the page's title or
/// main content. The petitions and people in these tests have Persian names, so any Latin word left is the site's own
/// text that has no resource (a view that renders a string without the localizer fails here).
/// </summary>
public sealed partial class LocalizedPagesTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string PersianTitle = "آزادی زندانیان سیاسی";
    private const string PersianBody = "ما از دولت می‌خواهیم همهٔ زندانیان سیاسی را آزاد کند.";
    private const string PersianName = "مریم رضایی";

    // The share buttons name the services as they name themselves; file formats keep their names in Persian too, and so
    // does the site's own name, which the operator configures (Site__Name).
    private static readonly HashSet<string> Brands = new(StringComparer.Ordinal) { "WhatsApp", "Facebook", "CSV", "PDF", "Petitions" };

    [Fact]
    public async Task PublicPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var petition = await new PetitionBuilder().WithTitle(PersianTitle).WithBody(PersianBody).WithSignatureCount(3).CreateAsync(App.Services);
        var removed = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle(PersianTitle), p => p.Status = PetitionStatus.Hidden);
        using var browser = App.CreateBrowser();

        var pages = new (string Url, HttpStatusCode Status, string Expected)[]
        {
            ("/fa/", HttpStatusCode.OK, "دادخواست"),
            ("/fa/petitions", HttpStatusCode.OK, "دادخواست‌های باز"),
            ("/fa/petitions?status=closed&sort=newest", HttpStatusCode.OK, "دادخواست‌های بسته‌شده"),
            ("/fa/search", HttpStatusCode.OK, "جست‌وجوی دادخواست"),
            ("/fa/search?q=" + Uri.EscapeDataString("زندانیان"), HttpStatusCode.OK, "نتایج جست‌وجو"),
            ("/fa/search?q=" + Uri.EscapeDataString("ناموجود"), HttpStatusCode.OK, "هیچ دادخواستی با «ناموجود» جور نیست."),
            ($"/fa/p/{petition.Slug}/report", HttpStatusCode.OK, "گزارش این دادخواست"),
            ($"/fa/p/{removed.Slug}", HttpStatusCode.Gone, "این دادخواست برداشته شده است"),
            ("/fa/no-such-page", HttpStatusCode.NotFound, "صفحه"),
            ("/fa/account/login", HttpStatusCode.OK, "گذرواژه را فراموش کرده‌اید؟"),
            ("/fa/account/register", HttpStatusCode.OK, "ساخت حساب"),
            ("/fa/account/forgot-password", HttpStatusCode.OK, "پیوند بازنشانی را برایم بفرست"),
        };

        foreach (var (url, status, expected) in pages)
        {
            var page = await browser.GetAsync(url);
            Assert.True(page.Status == status, $"{url} answered {(int)page.Status}");
            AssertPersianPage(page, url, expected);
        }

        var embed = await browser.GetAsync($"/fa/p/{petition.Slug}/embed");
        Assert.Equal(("fa", "rtl"), (embed.One("html").GetAttribute("lang"), embed.One("html").GetAttribute("dir")));
        Assert.Equal("این دادخواست را امضا کنید", embed.One(".widget-sign").ChildNodes[0].TextContent);
        Assert.Contains("۳ نفر امضا کرده‌اند.", embed.Text(".widget-count"), StringComparison.Ordinal);
        AssertNoEnglish(embed.Text(".widget-text").Replace(embed.Text(".widget-site"), "", StringComparison.Ordinal), "embed");
    }

    [Fact]
    public async Task OrganizerPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var owner = await new UserBuilder().Named(PersianName).CreateAsync(App.Services);
        var open = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithTitle(PersianTitle).WithBody(PersianBody).StartedBy(PersianName));
        var draft = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().Draft().WithTitle(PersianTitle + " دوم").WithBody(PersianBody).StartedBy(PersianName));
        await App.Services.SaveAsync(
            new SignatureBuilder(open.Id).Named("علی رضایی").From("IR", "تهران").WithReason("برای آزادی").ConfirmedAt(DateTimeOffset.UtcNow.AddHours(-5)),
            new SignatureBuilder(open.Id).Named("سارا محمدی").From("FR", "پاریس").Private().ConfirmedAt(DateTimeOffset.UtcNow.AddHours(-2)),
            new SignatureBuilder(open.Id).Named("رضا کریمی").From("IR", "شیراز").Pending().Build());
        using var browser = App.CreateBrowser();
        await browser.LogInAsync(owner);

        var pages = new (string Url, string Expected)[]
        {
            ("/fa/start", "راه‌اندازی دادخواست"),
            ("/fa/dashboard", "دادخواست‌های شما"),
            ($"/fa/dashboard/p/{open.Slug}", "امضاها در گذر زمان"),
            ($"/fa/dashboard/p/{draft.Slug}", "این دادخواست پیش‌نویس است"),
            ($"/fa/dashboard/p/{open.Slug}/edit", "ذخیرهٔ تغییرات"),
            ($"/fa/dashboard/p/{draft.Slug}/preview", "انتشار دادخواست"),
            ($"/fa/dashboard/p/{open.Slug}/updates/new", "انتشار خبر و ایمیل به حامیان"),
            ($"/fa/dashboard/p/{open.Slug}/close", "بستن دادخواست"),
            ($"/fa/dashboard/p/{open.Slug}/victory", "اعلام پیروزی"),
            ("/fa/account", "حساب شما"),
            ("/fa/account/change-password", "تغییر گذرواژه"),
            ("/fa/account/delete", "حساب مرا حذف کن"),
        };

        foreach (var (url, expected) in pages)
        {
            var page = await browser.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, $"{url} answered {(int)page.Status}");
            AssertPersianPage(page, url, expected);
        }

        var dashboard = await browser.GetAsync($"/fa/dashboard/p/{open.Slug}");
        Assert.Equal("۲", dashboard.Text("[data-stat=confirmed]"));
        Assert.Contains("ایران", dashboard.Text(".country-table"), StringComparison.Ordinal);
        Assert.Contains("فرانسه", dashboard.Text(".country-table"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveryPages_InPersian_AreRightToLeftWithNoEnglishLeft()
    {
        var owner = await new UserBuilder().Named(PersianName).CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle(PersianTitle).WithBody(PersianBody).StartedBy(PersianName)
            .AddressedTo("سارا احمدی", "دفتر حقوق بشر", "sara@example.test").CreateDeliverableAsync(App, owner);
        var delivered = await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow.AddHours(-1), "سارا احمدی", "دفتر حقوق بشر",
            signatureCount: DeliveryTestKit.MinimumSignatures, language: "fa");
        var stop = App.Services.GetRequiredService<SuppressionLinks>().CreateToken("sara@example.test");
        using var organizer = App.CreateBrowser();
        await organizer.LogInAsync(owner);
        using var recipient = App.CreateBrowser();

        var pages = new (TestBrowser Browser, string Url, HttpStatusCode Status, string Expected)[]
        {
            (organizer, $"/fa/dashboard/p/{petition.Slug}/deliver", HttpStatusCode.OK, "چه کسی باید آن را دریافت کند؟"),
            (organizer, $"/fa/dashboard/p/{petition.Slug}/deliveries", HttpStatusCode.OK, "نخستین بارگیری"),
            (recipient, delivered.Link.Insert(0, "/fa"), HttpStatusCode.OK, "بارگیری صفحه‌گسترده (CSV)"),
            (recipient, delivered.Link.Insert(0, "/fa") + "/respond", HttpStatusCode.OK, "آیا خواستهٔ دادخواست را می‌پذیرید؟"),
            (recipient, "/fa/d/AAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound, "این پیوند را نمی‌شناسیم"),
            (recipient, $"/fa/email/stop/{stop}", HttpStatusCode.OK, "دیگر از این سایت برایم ایمیل نفرستید"),
            (recipient, "/fa/email/stop/no-such-token", HttpStatusCode.NotFound, "این پیوند را نمی‌شناسیم"),
        };

        foreach (var (browser, url, status, expected) in pages)
        {
            var page = await browser.GetAsync(url);
            Assert.True(page.Status == status, $"{url} answered {(int)page.Status}");
            AssertPersianPage(page, url, expected);
        }

        var preview = await organizer.PreviewDeliveryInAsync("/fa", petition.Slug, "لطفاً این دادخواست را بخوانید.", (0, "sara@example.test"));
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        AssertPersianPage(preview, "preview", "پیش از تحویل ایمیل را بررسی کنید");
        var email = preview.One(".email-preview");
        Assert.Contains("سارا احمدی گرامی،", HtmlPage.Normalize(email.TextContent), StringComparison.Ordinal);

        var invalid = await organizer.PreviewDeliveryInAsync("/fa", petition.Slug, "", (0, "not-an-address"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        var summary = invalid.Text(".error-summary");
        Assert.Contains("پیامی همراه برای تصمیم‌گیران بنویسید", summary, StringComparison.Ordinal);
        AssertNoEnglish(summary.Replace("not-an-address", "", StringComparison.Ordinal), "deliver form errors");
    }

    [Fact]
    public async Task StartForm_InPersian_ShowsPersianValidationMessages()
    {
        var owner = await new UserBuilder().Named(PersianName).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        await browser.LogInAsync(owner);
        var form = await browser.GetAsync("/fa/start");

        var result = await browser.SubmitAsync(form.Form("form[action='/fa/start']"), [new("Title", ""), new("Body", ""), new("GoalMode", "fixed"), new("Goal", "abc")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("rtl", result.One("html").GetAttribute("dir"));
        var summary = result.Text(".error-summary");
        Assert.Contains("مشکلی پیش آمده است", summary, StringComparison.Ordinal);
        Assert.Contains("عنوانی برای دادخواست خود بنویسید", summary, StringComparison.Ordinal);
        Assert.Contains("بنویسید چه می‌خواهید و چرا", summary, StringComparison.Ordinal);
        Assert.Contains("هدف امضا باید عددی درست باشد", summary, StringComparison.Ordinal);
        Assert.Contains("عنوانی برای دادخواست خود بنویسید", result.Text("#Title-error"), StringComparison.Ordinal);
        AssertNoEnglish(summary, "start form errors");
    }

    [Fact]
    public async Task RegisterForm_InPersian_ShowsPersianValidationMessages()
    {
        using var browser = App.CreateBrowser();
        var form = await browser.GetAsync("/fa/account/register");

        var result = await browser.SubmitAsync(form.Form("form[action='/fa/account/register']"),
            [new("DisplayName", ""), new("Email", "not-an-email"), new("Password", "short"), new("ConfirmPassword", "other")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        var summary = result.Text(".error-summary");
        Assert.Contains("نام خود یا نام سازمانتان را وارد کنید", summary, StringComparison.Ordinal);
        Assert.Contains("نشانی ایمیل را در قالب درست وارد کنید", summary, StringComparison.Ordinal);
        Assert.Contains("گذرواژه باید دست‌کم ۱۰ نویسه باشد", summary, StringComparison.Ordinal);
        AssertNoEnglish(summary, "register form errors");
    }

    [Fact]
    public async Task Pages_InFrench_AreTranslated()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithSignatureCount(1234));
        using var browser = App.CreateBrowser();

        var browse = await browser.GetAsync("/fr/petitions");
        AssertFrench(browse);
        Assert.Equal("Pétitions ouvertes", browse.Text("h1"));
        Assert.Equal("Trier par", browse.Text("label[for=browse-sort]"));
        Assert.Contains("1 234 signataires", Spaces(browse.Text("main")), StringComparison.Ordinal);

        var search = await browser.GetAsync("/fr/search");
        AssertFrench(search);
        Assert.Equal("Rechercher des pétitions", search.Text("h1"));

        var report = await browser.GetAsync($"/fr/p/{petition.Slug}/report");
        AssertFrench(report);
        Assert.Equal("Envoyer le signalement", report.Text("main form button[type=submit]"));

        var register = await browser.GetAsync("/fr/account/register");
        AssertFrench(register);
        Assert.Equal("Créer un compte", register.Text("h1"));

        var invalid = await browser.SubmitAsync(register.Form("form[action='/fr/account/register']"), [new("DisplayName", ""), new("Email", ""), new("Password", ""), new("ConfirmPassword", "")]);
        Assert.Contains("Saisissez votre nom ou celui de votre organisation", invalid.Text(".error-summary"), StringComparison.Ordinal);

        await browser.LogInAsync(owner);
        var start = await browser.GetAsync("/fr/start");
        AssertFrench(start);
        Assert.Equal("Lancer une pétition", start.Text("h1"));
        Assert.Equal("Enregistrer et prévisualiser", start.Text("main form button.btn-primary"));

        var dashboard = await browser.GetAsync($"/fr/dashboard/p/{petition.Slug}");
        AssertFrench(dashboard);
        Assert.Equal("Signatures au fil du temps", dashboard.Text("#timeline-heading"));
        Assert.Equal("1 234", Spaces(dashboard.Text("[data-stat=public]")));

        var close = await browser.GetAsync($"/fr/dashboard/p/{petition.Slug}/close");
        AssertFrench(close);
        Assert.Equal("Clore la pétition", close.Text("h1"));
    }

    private static string Spaces(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');

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

        // What people typed (titles, names, reasons, other tests' petitions in the shared database) is marked
        // dir="auto" or <bdi>, or with its own language (a petition's title and text); everything else in the page is
        // the site's own text. A copy, so the caller's page stays whole.
        main = (AngleSharp.Dom.IElement)main.Clone(true);
        foreach (var hidden in main.QuerySelectorAll("script, style, textarea.reach-snippet, [dir=auto], bdi, [lang]:not([lang=fa])").ToList())
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

    /// <summary>Latin words are allowed only in email addresses and web addresses, which are not text to translate.</summary>
    private static void AssertNoEnglish(string text, string where)
    {
        var words = LatinWord().Matches(Address().Replace(text, " ")).Select(m => m.Value).Distinct().Where(w => !Brands.Contains(w)).ToList();
        Assert.True(words.Count == 0, $"{where} has English left: {string.Join(", ", words)}\n{text}");
    }

    [GeneratedRegex(@"\S+@\S+|https?://\S+|/\S*\.atom")]
    private static partial Regex Address();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
