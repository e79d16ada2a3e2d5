using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Petitions in more than one language: the reference petition's Persian translation, a petition written in Persian
/// (with an English translation) and one written in French, each with supporters who signed in its language. Each
/// piece is added only when it is missing, so loading again (also onto an older sample database) changes nothing.
/// </summary>
public static partial class SampleData
{
    public const string PersianPetitionSlug = "save-lake-urmia";
    public const string FrenchPetitionSlug = "sauvons-la-bibliotheque-de-la-croix-rousse";

    public const string ReferencePersianTitle = "کشتار ۱۳۶۷ (۱۹۸۸) در ایران را جنایت علیه بشریت و نسل‌کشی بشناسید";

    private const string PersianTitle = "دریاچهٔ ارومیه را نجات دهید: حق‌آبهٔ دریاچه را تأمین کنید";

    private const string PersianBody =
        """
        دریاچهٔ ارومیه، بزرگ‌ترین دریاچهٔ ایران و یکی از بزرگ‌ترین دریاچه‌های شور جهان، در سه دههٔ گذشته بیش از نیمی از آب خود را از دست داده است. سدسازی بی‌رویه، برداشت بی‌حساب از رودخانه‌ها و چاه‌ها و کشاورزی پرمصرف، این دریاچه را به مرز نابودی رسانده است.

        با خشک شدن دریاچه، طوفان‌های نمک سلامت میلیون‌ها نفر را در آذربایجان و استان‌های همسایه تهدید می‌کنند، زمین‌های کشاورزی شور و بی‌حاصل می‌شوند و زیستگاه فلامینگوها و آرتمیا از میان می‌رود.

        ## خواستهٔ ما

        1. تأمین حق‌آبهٔ سالانهٔ دریاچه از رودخانه‌های حوضهٔ آبریز آن، و انتشار عمومی میزان آبی که هر سال به دریاچه می‌رسد.
        2. توقف ساخت سدهای تازه در حوضهٔ دریاچه و بستن چاه‌های غیرمجاز.
        3. حمایت از کشاورزان برای روی آوردن به کشت‌های کم‌آب‌بر، تا نجات دریاچه به بهای معیشت آنان تمام نشود.

        ## چرا اکنون

        هر سال تأخیر، بازگرداندن دریاچه را دشوارتر و پرهزینه‌تر می‌کند. با امضای این دادخواست نشان دهید که نجات دریاچهٔ ارومیه خواست همهٔ ماست.
        """;

    private const string PersianPetitionEnglishTitle = "Save Lake Urmia: guarantee the lake its share of water";

    private const string PersianPetitionEnglishBody =
        """
        Lake Urmia, Iran's largest lake and one of the largest salt lakes in the world, has lost more than half of its water over the last three decades. Unchecked dam building, uncontrolled drawing from rivers and wells, and water-hungry farming have brought it to the edge of disappearing.

        As the lake dries, salt storms threaten the health of millions of people in Azerbaijan and the neighbouring provinces, farmland turns salty and barren, and the habitat of flamingos and Artemia shrimp is lost.

        ## What we ask

        1. Guarantee the lake its yearly share of water from the rivers of its basin, and publish how much water reaches it each year.
        2. Stop building new dams in the lake's basin and close illegal wells.
        3. Support farmers in moving to crops that need less water, so that saving the lake does not cost them their living.

        ## Why now

        Every year of delay makes restoring the lake harder and more expensive. Sign this petition to show that saving Lake Urmia is what all of us want.
        """;

    private const string FrenchTitle = "Sauvons la bibliothèque de quartier de la Croix-Rousse";

    private const string FrenchBody =
        """
        La Ville de Lyon envisage de fermer la bibliothèque de la Croix-Rousse à la fin de l’année, pour des raisons budgétaires. Depuis plus de quarante ans, elle accueille les enfants des écoles du quartier, les personnes âgées, les étudiants et tous ceux qui n’ont pas d’autre endroit calme pour lire ou travailler.

        ## Pourquoi c’est important

        La bibliothèque est bien plus qu’un lieu de prêt : c’est l’un des derniers espaces publics gratuits et chauffés du quartier. Ses ateliers d’aide aux devoirs et de français langue étrangère accueillent chaque semaine plus de deux cents personnes.

        ## Nous demandons

        1. Le maintien de la bibliothèque dans ses locaux actuels, avec ses horaires d’ouverture.
        2. La publication des chiffres qui motivent le projet de fermeture.
        3. Une réunion publique avec les habitants avant toute décision.

        Signez et partagez : plus nous serons nombreux, plus notre voix comptera au conseil municipal.
        """;

    private static readonly (string Name, string Country, string Place, string? Reason)[] PersianSupporters =
    [
        ("مریم رضایی", "IR", "تبریز", "دریاچهٔ ارومیه بخشی از کودکی من است؛ نمی‌خواهم فرزندانم آن را فقط در عکس‌ها ببینند."),
        ("علی محمدی", "IR", "ارومیه", "طوفان‌های نمک همین حالا زمین‌های پدرم را شور کرده‌اند."),
        ("سارا کریمی", "DE", "برلین", "از دور هم نگران خانه‌ام هستم. دریاچه باید زنده بماند."),
        ("رضا حسینی", "CA", "تورنتو", null),
        ("نگار احمدی", "SE", "استکهلم", "نجات دریاچه یعنی نجات سلامت میلیون‌ها نفر."),
    ];

    private static readonly (string Name, string Country, string Place, string? Reason)[] FrenchSupporters =
    [
        ("Camille Martin", "FR", "Lyon", "J’y ai appris à lire, mes enfants aussi."),
        ("Lucas Bernard", "FR", "Lyon", "C’est le seul endroit calme du quartier pour réviser."),
        ("Chloé Dubois", "FR", "Villeurbanne", null),
        ("Hugo Lefèvre", "BE", "Liège", "Les bibliothèques de quartier font vivre la ville."),
        ("Léa Moreau", "CH", "Genève", "Fermer une bibliothèque, c’est fermer une porte sur le monde."),
    ];

    private static async Task SeedTranslationsAsync(PetitionsDbContext db, CancellationToken cancellationToken)
    {
        var reference = await db.Petitions.SingleOrDefaultAsync(p => p.Slug == ReferenceSlug, cancellationToken);
        if (reference is not null && !await db.PetitionTranslations.AnyAsync(t => t.PetitionId == reference.Id && t.Language == "fa", cancellationToken))
        {
            db.PetitionTranslations.Add(Features.Translations.TranslatedText.Create(reference.Id, "fa", ReferencePersianTitle, ReadResource("closed-petition-fa.md"), reference.PublishedAt!.Value.AddDays(1)));
            await db.SaveChangesAsync(cancellationToken);
        }

        var now = DateTimeOffset.UtcNow;
        var added = new List<long>();
        if (!await db.Petitions.AnyAsync(p => p.Slug == PersianPetitionSlug, cancellationToken))
        {
            var persian = Create(PersianPetitionSlug, PersianTitle, PersianBody, "دوستداران دریاچهٔ ارومیه", PetitionStatus.Open, now.AddDays(-20),
                ("سازمان حفاظت محیط زیست ایران", null), ("United Nations Environment Programme", "UNEP"));
            persian.Language = "fa";
            persian.Category = "Environment";
            persian.AutomaticGoal = true;
            db.Petitions.Add(persian);
            await db.SaveChangesAsync(cancellationToken);
            db.PetitionTranslations.Add(Features.Translations.TranslatedText.Create(persian.Id, "en", PersianPetitionEnglishTitle, PersianPetitionEnglishBody, now.AddDays(-19)));
            AddSupporters(db, persian.Id, "fa", PersianSupporters, persian.PublishedAt!.Value);
            await db.SaveChangesAsync(cancellationToken);
            added.Add(persian.Id);
        }

        if (!await db.Petitions.AnyAsync(p => p.Slug == FrenchPetitionSlug, cancellationToken))
        {
            var french = Create(FrenchPetitionSlug, FrenchTitle, FrenchBody, "Les Amis de la bibliothèque", PetitionStatus.Open, now.AddDays(-15),
                ("Le maire de Lyon", "Hôtel de Ville"), ("L’adjointe à la Culture", "Ville de Lyon"));
            french.Language = "fr";
            french.Category = "Education";
            french.AutomaticGoal = true;
            db.Petitions.Add(french);
            await db.SaveChangesAsync(cancellationToken);
            AddSupporters(db, french.Id, "fr", FrenchSupporters, french.PublishedAt!.Value);
            await db.SaveChangesAsync(cancellationToken);
            added.Add(french.Id);
        }

        if (added.Count > 0)
        {
            // Only the new petitions: the others were counted when they were seeded.
            await db.Database.ExecuteSqlRawAsync(CountingSql.CountConfirmedOf, [added.ToArray()], cancellationToken);
        }
    }

    private static void AddSupporters(PetitionsDbContext db, long petitionId, string language, (string Name, string Country, string Place, string? Reason)[] people, DateTimeOffset at)
    {
        var i = 0;
        foreach (var (name, country, place, reason) in people)
        {
            i++;
            var email = $"{language}-supporter{i}@example.org";
            db.Signatures.Add(new Signature
            {
                PetitionId = petitionId,
                FullName = name,
                Email = email,
                NormalizedEmail = email,
                Country = country,
                PostcodeOrCity = place,
                Reason = reason,
                ShowPublicly = true,
                State = SignatureState.Confirmed,
                Language = language,
                ConfirmationTokenHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
                CreatedAt = at.AddHours(i),
                ConfirmedAt = at.AddHours(i),
            });
        }
    }
}
