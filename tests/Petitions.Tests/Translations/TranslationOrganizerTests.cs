using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Translations;

/// <summary>An organizer adds, edits and deletes translations of their petition; nobody else can.</summary>
public sealed class TranslationOrganizerTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Index_ListsTheSiteLanguagesOtherThanTheOriginal_AndTheDashboardLinksToIt()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        var dashboard = await browser.GetAsync($"/dashboard/p/{petition.Slug}");
        Assert.NotNull(dashboard.Find($"a[href='/dashboard/p/{petition.Slug}/translations']"));
        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Translations", page.Text("h1"));
        Assert.Equal(["fa", "fr"], page.All(".translations-table tbody th").Select(th => th.GetAttribute("data-language")!));
        Assert.NotNull(page.Find($"a[href='/dashboard/p/{petition.Slug}/translations/fa']"));
        Assert.Null(page.Find($"a[href='/dashboard/p/{petition.Slug}/translations/en']"));
    }

    [Fact]
    public async Task Post_NewTranslation_SavesItRenderedAndSanitized()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        var form = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations/fa");
        Assert.Equal("fa", form.One("#Form_Title").GetAttribute("lang"));
        Assert.Equal("rtl", form.One("#Form_Body").GetAttribute("dir"));
        var result = await browser.SubmitAsync(form.Form($"form[action='/dashboard/p/{petition.Slug}/translations/fa']"),
            [new("Form.Title", TranslationSteps.PersianTitle), new("Form.Body", TranslationSteps.PersianBody + "\n\n<script>alert(1)</script>")]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal($"/dashboard/p/{petition.Slug}/translations", result.PathAndQuery());
        var saved = await App.WithDbAsync(db => db.PetitionTranslations.AsNoTracking().SingleAsync());
        Assert.Equal(petition.Id, saved.PetitionId);
        Assert.Equal("fa", saved.Language);
        Assert.Equal(TranslationSteps.PersianTitle, saved.Title);
        Assert.Contains("<strong>دوچرخه‌ها</strong>", saved.BodyLeadHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", saved.BodyLeadHtml + saved.BodyMoreHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Null(saved.EditedAt);

        var list = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations");
        Assert.Contains(TranslationSteps.PersianTitle, list.Text(".translations-table"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ExistingTranslation_ShowsItsValuesAndSavesTheEdit()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fr", "Réparez les nids-de-poule", "Les nids-de-poule abîment les vélos.");

        var form = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations/fr");
        Assert.Equal("Réparez les nids-de-poule", ((IHtmlInputElement)form.One("#Form_Title")).Value);
        Assert.Equal("Les nids-de-poule abîment les vélos.", ((IHtmlTextAreaElement)form.One("#Form_Body")).Value);
        var result = await browser.SubmitAsync(form.Form($"form[action='/dashboard/p/{petition.Slug}/translations/fr']"),
            [new("Form.Title", "Réparez tous les nids-de-poule"), new("Form.Body", "Les nids-de-poule abîment les *vélos*.")]);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var saved = await App.WithDbAsync(db => db.PetitionTranslations.AsNoTracking().SingleAsync());
        Assert.Equal("Réparez tous les nids-de-poule", saved.Title);
        Assert.Contains("<em>vélos</em>", saved.BodyLeadHtml, StringComparison.Ordinal);
        Assert.NotNull(saved.EditedAt);
    }

    [Fact]
    public async Task Post_Invalid_ShowsTheErrorsAndKeepsTheInput()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        var result = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/translations/fr", [new("Form.Title", "  "), new("Form.Body", "Le texte traduit.")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("Enter the translated title", AccountSteps.ErrorSummary(result));
        Assert.Contains("Enter the translated title", result.Text("#Form_Title-error"), StringComparison.Ordinal);
        Assert.Equal("Le texte traduit.", ((IHtmlTextAreaElement)result.One("#Form_Body")).Value);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionTranslations.CountAsync()));

        var tooLong = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/translations/fr", [new("Form.Title", new string('a', 121)), new("Form.Body", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("Title must be 120 characters or fewer | Enter the translated text", AccountSteps.ErrorSummary(tooLong));
    }

    [Fact]
    public async Task Post_InPersian_ShowsPersianValidationMessages()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        var result = await browser.SubmitFormOnAsync($"/fa/dashboard/p/{petition.Slug}/translations/fr", [new("Form.Title", ""), new("Form.Body", "x")],
            action: $"/fa/dashboard/p/{petition.Slug}/translations/fr");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("عنوان ترجمه‌شده را وارد کنید", AccountSteps.ErrorSummary(result));
    }

    [Fact]
    public async Task Delete_RemovesTheTranslation()
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);

        var result = await browser.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/translations/fa", [], action: $"/dashboard/p/{petition.Slug}/translations/fa/delete");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionTranslations.CountAsync()));
    }

    [Theory]
    [InlineData("GET", "/translations")]
    [InlineData("GET", "/translations/fa")]
    [InlineData("POST", "/translations/fa")]
    [InlineData("POST", "/translations/fa/delete")]
    public async Task SomeoneElse_GetsNotFound_AndChangesNothing(string method, string path)
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        owner.Dispose();
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        var other = await new UserBuilder().WithEmail(UniqueEmail("other")).CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(other);
        var url = $"/dashboard/p/{petition.Slug}{path}";

        var result = method == "GET" ? await browser.GetAsync(url)
            : await browser.PostAsync(url, [new(TestBrowser.AntiforgeryField, await browser.AntiforgeryTokenAsync()), new("Form.Title", "Hacked"), new("Form.Body", "Hacked")]);

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        var translation = await App.WithDbAsync(db => db.PetitionTranslations.AsNoTracking().SingleAsync());
        Assert.Equal(TranslationSteps.PersianTitle, translation.Title);
    }

    [Fact]
    public async Task Anonymous_IsSentToLogIn()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        owner.Dispose();
        using var browser = App.CreateVisitor();

        var result = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations/fa");

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/account/login", result.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public async Task TheOriginalLanguageOrOneTheSiteHasNot_IsNotFound(string language)
    {
        var (browser, petition) = await OwnerWithPetitionAsync();
        using var _ = browser;

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations/{language}")).Status);
    }

    [Fact]
    public async Task ClosedPetition_IsLocked_LikeEditing()
    {
        var (browser, petition) = await OwnerWithPetitionAsync(p => { p.Status = PetitionStatus.Closed; p.ClosedAt = DateTimeOffset.UtcNow; });
        using var _ = browser;

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations/fa");
        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("This petition can no longer be edited", page.Text("h1"));
        var post = await browser.PostAsync($"/dashboard/p/{petition.Slug}/translations/fa",
            [new(TestBrowser.AntiforgeryField, await browser.AntiforgeryTokenAsync()), new("Form.Title", "عنوان"), new("Form.Body", "متن")]);
        Assert.Equal(HttpStatusCode.Conflict, post.Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionTranslations.CountAsync()));
        var list = await browser.GetAsync($"/dashboard/p/{petition.Slug}/translations");
        Assert.Null(list.Find($"a[href='/dashboard/p/{petition.Slug}/translations/fa']"));
    }

    [Fact]
    public async Task Start_TakesThePageLanguage_AndTheFormCanChangeIt()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var start = await browser.GetAsync("/fa/start");
        Assert.Equal("fa", ((IHtmlSelectElement)start.One("#Language")).Value);
        var started = await browser.SubmitAsync(start.Form("form[action='/fa/start']"), new PetitionFormBuilder().WithTitle("Written in French").Build());
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        var slug = await App.WithDbAsync(db => db.Petitions.Select(p => p.Slug).SingleAsync());
        Assert.Equal("fa", await App.WithDbAsync(db => db.Petitions.Select(p => p.Language).SingleAsync()));

        var edited = await browser.SubmitFormOnAsync($"/dashboard/p/{slug}/edit", new PetitionFormBuilder().WithTitle("Written in French").With("Language", "fr").BuildForEdit());
        Assert.Equal(HttpStatusCode.Redirect, edited.Status);
        Assert.Equal("fr", await App.WithDbAsync(db => db.Petitions.Select(p => p.Language).SingleAsync()));
    }

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync(Action<Petition>? tweak = null)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().AddressedTo("Jane Smith").CreateOwnedAsync(App.Services, user.Id, tweak);
        return (await App.LoggedInVisitorAsync(user), petition);
    }
}
