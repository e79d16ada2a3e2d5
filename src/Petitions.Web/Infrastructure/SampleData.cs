using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Infrastructure;

/// <summary>Development sample data: the reference petition from shared/, plus open petitions so the site looks alive.</summary>
public static partial class SampleData
{
    public const string ReferenceSlug = "recognize-1988-iranian-massacre-as-crimes-against-humanity";
    public const string OrganizerEmail = "organizer@example.org";
    public const string OrganizerPassword = "petitions-organizer";
    public const string OrganizerPetitionSlug = "safe-cycle-lanes-on-mill-road";

    /// <summary>
    /// In Development, unless SampleData__Load is false; elsewhere only when SampleData__Load is true, since the sample
    /// organizer's password is public.
    /// </summary>
    public static bool ShouldLoad(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return configuration.GetValue<bool?>("SampleData:Load") ?? environment.IsDevelopment();
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        if (await db.Petitions.AnyAsync(cancellationToken))
        {
            await SeedTranslationsAsync(db, cancellationToken);
            return;
        }

        var reference = Create(
            ReferenceSlug,
            "Recognize 1988 Iranian massacre as crimes against humanity and genocide",
            ReadResource("closed-petition.md"),
            "Foreign Affairs Committee of the National Council of Resistance of Iran",
            PetitionStatus.Closed,
            new DateTimeOffset(2013, 8, 20, 9, 0, 0, TimeSpan.Zero),
            ("The UN High Commissioner for Human Rights", null));
        reference.ClosedAt = new DateTimeOffset(2013, 12, 10, 12, 0, 0, TimeSpan.Zero);
        reference.Goal = 100;
        reference.Category = "Human rights";
        reference.Deliveries.Add(new Delivery
        {
            DeliveredAt = new DateTimeOffset(2013, 12, 10, 12, 0, 0, TimeSpan.Zero),
            CoverMessage = "On the 25th anniversary of the 1988 massacre we deliver this petition.",
            SignatureCount = 2,
            Recipients = { new DeliveryRecipient { Name = "The UN High Commissioner for Human Rights" } },
        });
        db.Petitions.Add(reference);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var organizer = new ApplicationUser
        {
            UserName = OrganizerEmail,
            Email = OrganizerEmail,
            EmailConfirmed = true,
            DisplayName = "Mill Road Cyclists",
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-35),
        };
        var created = await users.CreateAsync(organizer, OrganizerPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the sample organizer: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var now = DateTimeOffset.UtcNow;
        var open = new (string Slug, string Title, string Category, string Starter, int Signatures, (string, string?)[] To)[]
        {
            ("safe-cycle-lanes-on-mill-road", "Build protected cycle lanes on Mill Road", "Transport", "Mill Road Cyclists", 1873,
                [("Cllr Jane Porter", "Chair, Transport Committee, City Council")]),
            ("keep-the-riverside-library-open", "Keep the Riverside library open on Saturdays", "Education", "Amara Okafor", 412,
                [("Riverside Borough Council", "Library Services")]),
            ("free-water-refill-stations-in-parks", "Install free water refill stations in every public park", "Environment", "Green Parks Alliance", 96,
                [("Parks Department", "City Council"), ("The Mayor", "City Hall")]),
            ("fair-rent-for-students", "Cap rent increases in student halls at inflation", "Housing", "Student Union", 12,
                [("The Vice-Chancellor", "University of Eastfield")]),
        };
        var seeded = new List<(Petition Petition, int Signatures)>();
        foreach (var (slug, title, category, starter, signatures, to) in open)
        {
            var petition = Create(slug, title, SampleBody(title), starter, PetitionStatus.Open, now.AddDays(-30 + seeded.Count), to);
            petition.Category = category;
            petition.AutomaticGoal = true;
            petition.Featured = seeded.Count < 2;
            if (slug == OrganizerPetitionSlug)
            {
                petition.OwnerId = organizer.Id;
            }

            db.Petitions.Add(petition);
            seeded.Add((petition, signatures));
        }

        await db.SaveChangesAsync(cancellationToken);

        var organizerPetition = seeded.Single(s => s.Petition.Slug == OrganizerPetitionSlug).Petition;
        db.PetitionUpdates.AddRange(
            Update(organizerPetition.Id, "We met the council's transport officers", "Thank you all! We presented the first **1,000 signatures** to the transport officers. They agreed to look at a trial on the northern section.", now.AddDays(-12)),
            Update(organizerPetition.Id, "The committee will vote next month", "The Transport Committee has put protected lanes on its agenda. Keep sharing: every signature shows councillors how many people care.", now.AddDays(-3)));
        await db.SaveChangesAsync(cancellationToken);

        await AddSignaturesAsync(db, reference.Id, [("Foreign Affairs Committee of the NCRI", "FR", "Auvers-sur-Oise", null), ("Maryam Ahmadi", "DE", "Berlin", "For the families who are still waiting for justice.")], reference.PublishedAt!.Value, cancellationToken);
        foreach (var (petition, signatures) in seeded)
        {
            await AddGeneratedSignaturesAsync(db, petition.Id, signatures, petition.PublishedAt!.Value, cancellationToken);
        }

        // Confirmed but not yet counted, as if just confirmed: the counter adds them within an interval.
        long[] sampled = [reference.Id, .. seeded.Select(s => s.Petition.Id)];
        await db.Database.ExecuteSqlRawAsync(CountingSql.CountConfirmedOf, [sampled], cancellationToken);
        await SeedTranslationsAsync(db, cancellationToken);
    }

    private static Petition Create(string slug, string title, string body, string starter, PetitionStatus status, DateTimeOffset published, params (string Name, string? Title)[] to)
    {
        var (lead, more) = PetitionText.Render(body);
        var petition = new Petition
        {
            Slug = slug,
            Title = title,
            Body = body,
            BodyLeadHtml = lead,
            BodyMoreHtml = more,
            StarterName = starter,
            Status = status,
            Goal = 100,
            CreatedAt = published.AddDays(-1),
            PublishedAt = published,
        };
        var position = 0;
        foreach (var (name, orgTitle) in to)
        {
            petition.DecisionMakers.Add(new DecisionMaker { Name = name, TitleOrOrganization = orgTitle, Position = position++ });
        }

        return petition;
    }

    private static PetitionUpdate Update(long petitionId, string title, string body, DateTimeOffset at) => new()
    {
        PetitionId = petitionId,
        Title = title,
        Body = body,
        BodyHtml = PetitionText.ToSafeHtml(body),
        PostedAt = at,
    };

    private static async Task AddSignaturesAsync(PetitionsDbContext db, long petitionId, (string Name, string Country, string Place, string? Reason)[] people, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var i = 0;
        foreach (var (name, country, place, reason) in people)
        {
            i++;
            db.Signatures.Add(new Signature
            {
                PetitionId = petitionId,
                FullName = name,
                Email = $"supporter{i}@example.org",
                NormalizedEmail = $"supporter{i}@example.org",
                Country = country,
                PostcodeOrCity = place,
                Reason = reason,
                ShowPublicly = true,
                State = SignatureState.Confirmed,
                ConfirmationTokenHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
                CreatedAt = at.AddHours(i),
                ConfirmedAt = at.AddHours(i),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Task<int> AddGeneratedSignaturesAsync(PetitionsDbContext db, long petitionId, int count, DateTimeOffset published, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(SignatureSql.SampleSignatures, [petitionId, count, published], cancellationToken);

    private static string ReadResource(string name)
    {
        using var stream = typeof(SampleData).Assembly.GetManifestResourceStream($"Petitions.Web.Data.SampleData.{name}")
            ?? throw new InvalidOperationException($"Missing embedded sample data {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string SampleBody(string title) =>
        $"""
        We are asking the decision makers to act: **{title.ToLowerInvariant()}**.

        This change would make daily life better for thousands of people in our community. It is affordable, it has worked elsewhere, and it has wide support from residents, local businesses and community groups.

        ## Why it matters

        Every month without action costs us more. We have written letters, attended meetings and collected evidence. Now we need to show how many people care.

        ## What we ask

        1. Commit publicly to the change within three months.
        2. Publish a timetable and a budget.
        3. Meet the people affected and report back.

        Sign, share, and help us reach the goal.
        """;
}
