using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Translations;

/// <summary>
/// Later notices (update, delivery, response, closing, victory) are composed when they are sent, each in the language
/// its signer signed in, with the petition's title from its translation in that language.
/// </summary>
public sealed partial class TranslatedNoticeTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Title = "Light the towpath";
    private const string PersianTitle = "مسیر کنار کانال را روشن کنید";
    private const string FrenchTitle = "Éclairez le chemin de halage";
    private const string Nbsp = "\u00A0";

    // What people wrote stays as written: the organizer's messages, the update, the recipient and their response.
    private static readonly string[] WrittenByPeople =
    [
        "Ada Lovelace", "Cllr Jane Porter", "Chair, Transport Committee", "Towpath Friends", "Lights are coming", "The council agreed.",
        "We will light it by March.", "We are closing the petition now.", "The lights are on.", "Here are the signatures.",
    ];

    [Fact]
    public async Task EveryNotice_ReachesEachSignerInTheirLanguage_WithTheTranslatedTitle()
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle(Title).StartedBy("Towpath Friends")
            .AddressedTo("Cllr Jane Porter", "Chair, Transport Committee").CreateOwnedAsync(App, organizer.User);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", PersianTitle, "لطفاً مسیر را روشن کنید.");
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fr", FrenchTitle, "Éclairez le chemin, s’il vous plaît.");
        var signers = new Dictionary<string, string> { ["en"] = UniqueEmail("en"), ["fa"] = UniqueEmail("fa"), ["fr"] = UniqueEmail("fr") };
        foreach (var (language, email) in signers)
        {
            await App.AddSignatureAsync(petition.Id, s => s.Named("Ada Lovelace").WithEmail(email).WithLanguage(language).CreatedAt(DateTimeOffset.UtcNow.AddMinutes(-5)).Confirmed(),
                emailUpdates: true);
        }

        await App.AddConfirmedSignaturesAsync(petition.Id, 5, DateTimeOffset.UtcNow.AddMinutes(-1));

        await organizer.Browser.PostUpdateAsync(petition.Slug, "Lights are coming", "The council agreed.");
        await ExpectNoticesAsync(signers, "petition-update",
            en: ($"Update: {Title}", "Lights are coming"),
            fa: ($"خبر تازه: {PersianTitle}", "Lights are coming"),
            fr: ($"Actualité{Nbsp}: {FrenchTitle}", "Lights are coming"));

        var jane = UniqueEmail("jane");
        await organizer.Browser.DeliverAsync(petition.Slug, "Here are the signatures.", (0, jane));
        var delivered = await ExpectNoticesAsync(signers, "petition-delivered",
            en: ($"Delivered: {Title}", "The petition you signed was delivered to Cllr Jane Porter"),
            fa: ($"تحویل شد: {PersianTitle}", "دادخواستی که امضا کردید به Cllr Jane Porter تحویل داده شد"),
            fr: ($"Remise{Nbsp}: {FrenchTitle}", "La pétition que vous avez signée a été remise à Cllr Jane Porter"));
        Assert.Contains("with 8 signatures, to:", delivered["en"].Text, StringComparison.Ordinal);
        Assert.Contains("۸ امضا", delivered["fa"].Text, StringComparison.Ordinal);
        Assert.Contains("avec 8 signatures, à" + Nbsp + ":", delivered["fr"].Text, StringComparison.Ordinal);

        using var recipient = App.CreateBrowser();
        var link = new Uri((await MailDev.WaitForEmailAsync(jane)).SingleLink("/d/")).AbsolutePath;
        var form = await recipient.GetAsync(link + "/respond");
        var responded = await recipient.SubmitAsync(form.Form("form[method=post]"), [new("Form.AcceptsDemand", "yes"), new("Form.Text", "We will light it by March.")]);
        Assert.Equal(HttpStatusCode.Redirect, responded.Status);
        var responses = await ExpectNoticesAsync(signers, "petition-response",
            en: ($"Response: {Title}", "Cllr Jane Porter responded to the petition you signed"),
            fa: ($"پاسخ: {PersianTitle}", "Cllr Jane Porter به دادخواستی که امضا کردید پاسخ داد"),
            fr: ($"Réponse{Nbsp}: {FrenchTitle}", "Cllr Jane Porter a répondu à la pétition que vous avez signée"));
        Assert.Contains("Cllr Jane Porter, Chair, Transport Committee** accepts the petition's demand. Their response:", responses["en"].Text, StringComparison.Ordinal);
        Assert.Contains("خواستهٔ دادخواست را می‌پذیرد", responses["fa"].Text, StringComparison.Ordinal);
        Assert.Contains("> We will light it by March.", responses["fr"].Text, StringComparison.Ordinal);

        await organizer.Browser.ClosePetitionAsync(petition.Slug, "We are closing the petition now.");
        await ExpectNoticesAsync(signers, "petition-closed",
            en: ($"Petition closed: {Title}", "The petition has closed"),
            fa: ($"دادخواست بسته شد: {PersianTitle}", "دادخواست بسته شده است"),
            fr: ($"Pétition close{Nbsp}: {FrenchTitle}", "La pétition est close"));

        await organizer.Browser.DeclareVictoryAsync(petition.Slug, "The lights are on.");
        await ExpectNoticesAsync(signers, "petition-victory",
            en: ($"Victory: {Title}", "We won!"),
            fa: ($"پیروزی: {PersianTitle}", "پیروز شدیم!"),
            fr: ($"Victoire{Nbsp}: {FrenchTitle}", "Nous avons gagné\u202F!"));

        // Five jobs, each stored as its kind and arguments, with no text in any language.
        var jobs = await App.WaitForNotificationJobsAsync(5);
        Assert.All(jobs, j => Assert.Null(j.Subject));
        Assert.All(jobs, j => Assert.NotNull(j.Arguments));
    }

    [Fact]
    public async Task ClosingDateNotice_IsInTheSignersLanguage()
    {
        var petition = await new PetitionBuilder().WithTitle(Title).CreateOwnedAsync(App.Services, null, p => p.ClosesAt = DateTimeOffset.UtcNow.AddHours(-1));
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", PersianTitle, "لطفاً مسیر را روشن کنید.");
        var email = UniqueEmail("fa");
        await App.AddSignatureAsync(petition.Id, s => s.Named("Ada Lovelace").WithEmail(email).WithLanguage("fa").Confirmed(), emailUpdates: true);

        await App.Services.GetRequiredService<Web.Features.Organize.ClosingWorker>().CloseDueAsync(CancellationToken.None);

        var notice = await MailDev.WaitForEmailAsync(email);
        Assert.Equal($"دادخواست بسته شد: {PersianTitle}", notice.Subject);
        Assert.Contains("دادخواست به تاریخ پایانش رسید و دیگر امضا نمی‌پذیرد.", notice.Text, StringComparison.Ordinal);
        AssertNoEnglish(notice);
    }

    [Fact]
    public async Task JobQueuedInTheOldShape_StillSendsItsStoredText()
    {
        var petition = await new PetitionBuilder().WithTitle(Title).CreateAsync(App.Services);
        var email = UniqueEmail("old");
        await App.AddSignatureAsync(petition.Id, s => s.Named("Ada Lovelace").WithEmail(email).WithLanguage("fa").Confirmed(), emailUpdates: true);

        await App.WithDbAsync(async db =>
        {
            db.NotificationJobs.Add(new NotificationJob
            {
                PetitionId = petition.Id,
                Kind = "petition-update",
                Subject = $"Update: {Title}",
                BodyHtml = "<h2>Old news</h2><p>Queued before the upgrade.</p>",
                BodyText = "Old news\n\nQueued before the upgrade.",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var notice = await MailDev.WaitForEmailAsync(email);
        Assert.Equal($"Update: {Title}", notice.Subject);
        Assert.Contains("Queued before the upgrade.", notice.Text, StringComparison.Ordinal);
        Assert.Equal("Old news", Html(notice).QuerySelector("h2")?.TextContent);
        Assert.Single(await App.WaitForNotificationJobsAsync(1));
    }

    /// <summary>Waits for each signer's notice of <paramref name="kind"/>, checks its subject and heading, and that the Persian one has no English the site wrote.</summary>
    private async Task<Dictionary<string, MailDevMessage>> ExpectNoticesAsync(Dictionary<string, string> signers, string kind,
        (string Subject, string Heading) en, (string Subject, string Heading) fa, (string Subject, string Heading) fr)
    {
        var expected = new Dictionary<string, (string Subject, string Heading)> { ["en"] = en, ["fa"] = fa, ["fr"] = fr };
        var received = new Dictionary<string, MailDevMessage>();
        foreach (var (language, email) in signers)
        {
            var (subject, heading) = expected[language];
            var notice = await MailDev.WaitForEmailAsync(email, m => m.Subject == subject);
            Assert.Equal(heading, Html(notice).QuerySelector("h2")?.TextContent);
            received[language] = notice;
        }

        AssertNoEnglish(received["fa"]);
        Assert.Contains(PersianTitle, received["fa"].Text, StringComparison.Ordinal);
        Assert.Contains(FrenchTitle, received["fr"].Text, StringComparison.Ordinal);
        Assert.Equal(3, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == kind)));
        return received;
    }

    /// <summary>Once links and what people wrote are taken out, a Persian email has no Latin word left, in its text or its HTML.</summary>
    private static void AssertNoEnglish(MailDevMessage notice)
    {
        foreach (var part in new[] { notice.Text!, Html(notice).Body!.TextContent })
        {
            var rest = Url().Replace(part, " ");
            foreach (var written in WrittenByPeople)
            {
                rest = rest.Replace(written, " ", StringComparison.Ordinal);
            }

            var english = LatinWord().Matches(rest).Select(m => m.Value).ToList();
            Assert.True(english.Count == 0, $"English in a Persian notice: {string.Join(", ", english)}\n{rest}");
        }
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Html(MailDevMessage message) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(message.Html!);

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();
}
