using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Browse;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Features.Notifications;

namespace Petitions.Tests.Translations;

/// <summary>An organizer translates an update: the petition page shows it in the page's language, and so does the notice.</summary>
public sealed class UpdateTranslationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string PersianUpdateTitle = "شورا موافقت کرد";
    private const string PersianUpdateBody = "چراغ‌ها تا **اسفند** روشن می‌شوند.";

    [Fact]
    public async Task TranslatedUpdate_IsShownOnThePageInItsLanguage_WithTheNoteAndTheOriginal()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        await owner.PostUpdateAsync(petition.Slug, "The council agreed", "The lights go on by **March**.");
        var update = await App.WithDbAsync(db => db.PetitionUpdates.AsNoTracking().SingleAsync());

        var list = await owner.GetAsync($"/dashboard/p/{petition.Slug}/translations");
        var path = $"/dashboard/p/{petition.Slug}/translations/updates/{update.Id}/fa";
        Assert.NotNull(list.Find($".update-translations-table a[href='{path}']"));
        var form = await owner.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal("The council agreed", form.Text(".original-text h2"));
        Assert.Equal("rtl", form.One("#Form_Body").GetAttribute("dir"));
        var saved = await owner.SubmitAsync(form.Form($"form[action='{path}']"), [new("Form.Title", PersianUpdateTitle), new("Form.Body", PersianUpdateBody + "\n\n<script>alert(1)</script>")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/dashboard/p/{petition.Slug}/translations", saved.PathAndQuery());
        var translation = await App.WithDbAsync(db => db.PetitionUpdateTranslations.AsNoTracking().SingleAsync());
        Assert.Equal((update.Id, "fa", PersianUpdateTitle), (translation.UpdateId, translation.Language, translation.Title));
        Assert.DoesNotContain("<script", translation.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(PersianUpdateTitle, (await owner.GetAsync($"/dashboard/p/{petition.Slug}/translations")).Text(".update-translations-table"), StringComparison.Ordinal);

        using var visitor = App.CreateBrowser();
        var persian = await visitor.GetAsync($"/fa/p/{petition.Slug}");
        Assert.Equal(PersianUpdateTitle, persian.Text(".updates article.update h3"));
        Assert.Equal("fa", persian.One(".updates article.update h3").GetAttribute("lang"));
        Assert.Equal("اسفند", persian.Text(".updates article.update strong"));
        Assert.StartsWith("ترجمه از انگلیسی", persian.Text(".updates .translation-note"), StringComparison.Ordinal);
        Assert.Equal($"/fa/p/{petition.Slug}?original=1", persian.One(".updates .translation-note a").GetAttribute("href"));

        var original = await visitor.GetAsync($"/fa/p/{petition.Slug}?original=1");
        Assert.Equal("The council agreed", original.Text(".updates article.update h3"));
        Assert.Equal("en", original.One(".updates article.update h3").GetAttribute("lang"));
        Assert.Null(original.Find(".updates .translation-note"));
        var french = await visitor.GetAsync($"/fr/p/{petition.Slug}");
        Assert.Equal("The council agreed", french.Text(".updates article.update h3"));
        Assert.Null(french.Find(".updates .translation-note"));
    }

    [Fact]
    public async Task UpdateNotice_UsesTheSignersLanguagesTranslation_WhenItExistsAtSendTime()
    {
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", "مسیر کنار کانال را روشن کنید", "لطفاً مسیر را روشن کنید.");
        var persian = UniqueEmail("fa");
        var french = UniqueEmail("fr");
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(persian).WithLanguage("fa").Confirmed(), emailUpdates: true);
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(french).WithLanguage("fr").Confirmed(), emailUpdates: true);
        var update = new PetitionUpdate
        {
            PetitionId = petition.Id,
            Title = "The council agreed",
            Body = "The lights go on by **March**.",
            BodyHtml = "<p>The lights go on by <strong>March</strong>.</p>",
            PostedAt = DateTimeOffset.UtcNow,
        };
        await App.WithDbAsync(async db =>
        {
            db.PetitionUpdates.Add(update);
            await db.SaveChangesAsync();
            db.PetitionUpdateTranslations.Add(Web.Features.Translations.TranslatedText.CreateForUpdate(update.Id, "fa", PersianUpdateTitle, PersianUpdateBody, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        await App.WithDbAsync(async db =>
        {
            App.Services.GetRequiredService<SupporterNotices>().QueueUpdate(db, petition, update);
            await db.SaveChangesAsync();
        });

        var toPersian = await MailDev.WaitForEmailAsync(persian);
        Assert.Equal("خبر تازه: مسیر کنار کانال را روشن کنید", toPersian.Subject);
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(toPersian.Html!);
        Assert.Equal(PersianUpdateTitle, html.QuerySelector("h2")?.TextContent);
        Assert.Equal("اسفند", html.QuerySelector("strong")?.TextContent);
        Assert.Contains(PersianUpdateBody, toPersian.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("March", toPersian.Text, StringComparison.Ordinal);

        // No French translation: the French signer gets the update as written, in a French email.
        var toFrench = await MailDev.WaitForEmailAsync(french);
        Assert.Equal("Actualité\u00A0: Light the towpath", toFrench.Subject);
        Assert.Equal("The council agreed", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(toFrench.Html!).QuerySelector("h2")?.TextContent);
        Assert.Contains("The lights go on by **March**.", toFrench.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Invalid_ShowsFieldMessagesKeepsTheInputAndSavesNothing()
    {
        var (owner, petition) = await OwnerWithPetitionAsync();
        using var _ = owner;
        await owner.PostUpdateAsync(petition.Slug, "The council agreed", "The lights go on by March.");
        var update = await App.WithDbAsync(db => db.PetitionUpdates.AsNoTracking().SingleAsync());
        var path = $"/dashboard/p/{petition.Slug}/translations/updates/{update.Id}/fr";

        var empty = await owner.SubmitFormOnAsync(path, [new("Form.Title", " "), new("Form.Body", "Les lumières s’allument en mars.")]);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.StartsWith("Error: ", empty.Title, StringComparison.Ordinal);
        Assert.Equal(["#Form_Title"], empty.All(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal("Error: Enter the translated title", empty.Text("#Form_Title-error"));
        Assert.Equal("Les lumières s’allument en mars.", ((IHtmlTextAreaElement)empty.One("#Form_Body")).Value);

        var tooLong = await owner.SubmitFormOnAsync(path, [new("Form.Title", new string('a', 151)), new("Form.Body", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("Title must be 150 characters or fewer | Enter the translated text", AccountSteps.ErrorSummary(tooLong));
        Assert.Equal(new string('a', 151), ((IHtmlInputElement)tooLong.One("#Form_Title")).Value);

        var persianPage = await owner.SubmitFormOnAsync("/fa" + path, [new("Form.Title", ""), new("Form.Body", "x")], action: "/fa" + path);
        Assert.Equal("عنوان ترجمه‌شده را وارد کنید", AccountSteps.ErrorSummary(persianPage));
        Assert.Equal(0, await App.WithDbAsync(db => db.PetitionUpdateTranslations.CountAsync()));

        // The original's language, another petition's update and someone else's petition are not there.
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/dashboard/p/{petition.Slug}/translations/updates/{update.Id}/en")).Status);
        var other = await new PetitionBuilder().CreateOwnedAsync(App.Services, null);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/dashboard/p/{other.Slug}/translations/updates/{update.Id}/fr")).Status);
        var stranger = await new UserBuilder().WithEmail(UniqueEmail("other")).CreateAsync(App.Services);
        using var strangerBrowser = await App.LoggedInVisitorAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync(path)).Status);
    }

    [Fact]
    public async Task PetitionJson_CarriesTheLanguageAndTheTranslations_AndForgetsTheCachedCopyWhenOneIsSaved()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").AddressedTo("Jane Smith").CreateOwnedAsync(App.Services, user.Id);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        var store = new KeepingOutputCacheStore();
        await using var variant = App.WithHost(builder => builder.ConfigureTestServices(services => services.AddSingleton<IOutputCacheStore>(store)));
        using var visitor = variant.CreateBrowser();
        using var owner = variant.CreateBrowser();
        await owner.LogInAsync(user);

        var json = await JsonAsync(visitor.Client, $"/p/{petition.Slug}.json");
        Assert.Equal("en", json.GetProperty("language").GetString());
        var only = Assert.Single(json.GetProperty("translations").EnumerateArray());
        Assert.Equal(("fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody),
            (only.GetProperty("language").GetString(), only.GetProperty("title").GetString(), only.GetProperty("body").GetString()));

        var saved = await owner.SubmitFormOnAsync($"/dashboard/p/{petition.Slug}/translations/fr", [new("Form.Title", "Éclairez le chemin"), new("Form.Body", "Le chemin est sombre.")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);

        var after = await JsonAsync(visitor.Client, $"/p/{petition.Slug}.json");
        Assert.Equal(["fa", "fr"], after.GetProperty("translations").EnumerateArray().Select(t => t.GetProperty("language").GetString()));
        Assert.Equal("Éclairez le chemin", after.GetProperty("translations")[1].GetProperty("title").GetString());
        Assert.Equal("Light the towpath", after.GetProperty("title").GetString());
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<(TestBrowser Browser, Petition Petition)> OwnerWithPetitionAsync()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").AddressedTo("Jane Smith").CreateOwnedAsync(App.Services, user.Id);
        return (await App.LoggedInVisitorAsync(user), petition);
    }
}
