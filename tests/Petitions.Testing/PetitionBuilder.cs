using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;

namespace Petitions.Testing;

/// <summary>
/// Arranges a petition in the database, with sensible defaults and only what a test cares about spelled out.
/// <see cref="Realistic"/> starts from a petition as the browser journeys show it: a long text, a decision maker and
/// three confirmed, counted supporters.
/// </summary>
public sealed class PetitionBuilder
{
    public const string ShortBody = "The potholes on Elm Street damage bikes and cars. Please fix them before winter.";

    private const string LongBody =
        "We ask the council to plant a tree on every residential street in Eastfield by 2030.\n\n" +
        "Trees cool our streets in summer, clean the air our children breathe and make walking to school a pleasure. " +
        "Eastfield has fewer street trees than any other district in the city, and the gap grows every year as old trees " +
        "are felled and not replaced.\n\n";

    private readonly List<(string Name, string? Title, string? Email)> decisionMakers = [];
    private readonly List<(DateTimeOffset At, string[] Recipients)> deliveries = [];
    private string slug = $"petition-{Guid.NewGuid():N}"[..24];
    private string title = "Fix the potholes on Elm Street";
    private string body = ShortBody;
    private string starter = "Elm Street Residents";
    private string? ownerId;
    private string? category;
    private PetitionStatus status = PetitionStatus.Open;
    private int goal = 100;
    private bool automaticGoal;
    private int? signatureCount;
    private int supporters;
    private int privateSupporters;
    private int pendingSupporters;
    private int publishedDaysAgo = 9;
    private bool defaultDecisionMaker;
    private bool isProtected;
    private bool initialsOnly;

    /// <summary>The browser journeys' petition: trees for Eastfield, addressed to a councillor, with three confirmed supporters.</summary>
    public static PetitionBuilder Realistic()
    {
        var builder = new PetitionBuilder
        {
            slug = $"trees-{Guid.NewGuid():N}"[..20],
            title = "Plant a tree on every street in Eastfield",
            body = LongBody + string.Concat(Enumerable.Repeat("Every tree planted now will shade our streets for the next hundred years. ", 8)) + "\n\n" +
                "Sign to tell the council that Eastfield wants its trees back.",
            starter = "Eastfield Tree Wardens",
            category = "Environment",
            supporters = 3,
            publishedDaysAgo = 10,
            defaultDecisionMaker = true,
        };
        builder.decisionMakers.Add(("Cllr Sam Reed", "Eastfield Council", null));
        return builder;
    }

    public PetitionBuilder Open()
    {
        status = PetitionStatus.Open;
        return this;
    }

    public PetitionBuilder Closed()
    {
        status = PetitionStatus.Closed;
        return this;
    }

    public PetitionBuilder Draft()
    {
        status = PetitionStatus.Draft;
        return this;
    }

    public PetitionBuilder WithSlug(string value)
    {
        slug = value;
        return this;
    }

    public PetitionBuilder WithTitle(string value)
    {
        title = value;
        return this;
    }

    /// <summary>The Markdown body; it is rendered with the app's own <see cref="PetitionText.Render"/>.</summary>
    public PetitionBuilder WithBody(string markdown)
    {
        body = markdown;
        return this;
    }

    public PetitionBuilder StartedBy(string name)
    {
        starter = name;
        return this;
    }

    public PetitionBuilder OwnedBy(string userId, string? starterName = null)
    {
        ownerId = userId;
        starter = starterName ?? starter;
        return this;
    }

    public PetitionBuilder InCategory(string value)
    {
        category = value;
        return this;
    }

    public PetitionBuilder WithGoal(int value, bool automatic = false)
    {
        goal = value;
        automaticGoal = automatic;
        return this;
    }

    /// <summary>
    /// Sets the displayed count directly, as the counter would have. Signatures that really count are added with
    /// the signature builder, or with <see cref="WithConfirmedSupporters"/>.
    /// </summary>
    public PetitionBuilder WithSignatureCount(int value)
    {
        signatureCount = value;
        return this;
    }

    /// <summary>Confirmed, counted supporters shown on the petition page (saved by <see cref="SaveAsync"/> and <see cref="CreateAsync"/>).</summary>
    public PetitionBuilder WithConfirmedSupporters(int count)
    {
        supporters = count;
        return this;
    }

    /// <summary>Confirmed, counted supporters who asked not to be shown on the petition page.</summary>
    public PetitionBuilder WithPrivateSupporters(int count)
    {
        privateSupporters = count;
        return this;
    }

    /// <summary>Supporters who signed but never confirmed by email: they count nowhere.</summary>
    public PetitionBuilder WithPendingSupporters(int count)
    {
        pendingSupporters = count;
        return this;
    }

    /// <summary>Adds a decision maker; the first call replaces <see cref="Realistic"/>'s councillor.</summary>
    public PetitionBuilder AddressedTo(string name, string? titleOrOrganization = null, string? email = null)
    {
        if (defaultDecisionMaker)
        {
            decisionMakers.Clear();
            defaultDecisionMaker = false;
        }

        decisionMakers.Add((name, titleOrOrganization, email));
        return this;
    }

    public PetitionBuilder DeliveredTo(params string[] recipients) => DeliveredTo(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), recipients);

    public PetitionBuilder DeliveredTo(DateTimeOffset at, params string[] recipients)
    {
        deliveries.Add((at, recipients));
        return this;
    }

    /// <summary>Protected mode; <paramref name="deliverInitialsOnly"/> makes deliveries list initials and country only.</summary>
    public PetitionBuilder Protected(bool deliverInitialsOnly = false)
    {
        isProtected = true;
        initialsOnly = deliverInitialsOnly;
        return this;
    }

    /// <summary>The petition with its decision makers and deliveries, not yet saved; supporters need <see cref="SaveAsync"/>.</summary>
    public Petition Build()
    {
        var (lead, more) = PetitionText.Render(body);
        var now = DateTimeOffset.UtcNow;
        var count = signatureCount ?? supporters + privateSupporters;
        var petition = new Petition
        {
            Slug = slug,
            Title = title,
            Body = body,
            BodyLeadHtml = lead,
            BodyMoreHtml = more,
            StarterName = starter,
            OwnerId = ownerId,
            Status = status,
            Goal = goal,
            AutomaticGoal = automaticGoal,
            SignatureCount = count,
            Protected = isProtected,
            DeliverInitialsOnly = initialsOnly,
            CreatedAt = now.AddDays(-10),
            PublishedAt = status == PetitionStatus.Draft ? null : now.AddDays(-publishedDaysAgo),
            ClosedAt = status == PetitionStatus.Closed ? now.AddDays(-1) : null,
        };
        if (category is not null)
        {
            petition.Category = category;
        }

        var position = 0;
        foreach (var (name, orgTitle, email) in decisionMakers)
        {
            petition.DecisionMakers.Add(new DecisionMaker { Name = name, TitleOrOrganization = orgTitle, Email = email, Position = position++ });
        }

        foreach (var (at, recipients) in deliveries)
        {
            var delivery = new Delivery { DeliveredAt = at, SignatureCount = count, CoverMessage = "Here are the signatures." };
            delivery.Recipients.AddRange(recipients.Select(r => new DeliveryRecipient { Name = r }));
            petition.Deliveries.Add(delivery);
        }

        return petition;
    }

    public async Task<Petition> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await SaveAsync(scope.ServiceProvider.GetRequiredService<PetitionsDbContext>());
    }

    public async Task<Petition> SaveAsync(PetitionsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var petition = Build();
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();
        if (supporters + privateSupporters + pendingSupporters == 0)
        {
            return petition;
        }

        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < supporters; i++)
        {
            db.Signatures.Add(Supporter(petition, $"Early Supporter {i + 1}", showPublicly: true, confirmed: true, now));
        }

        for (var i = 0; i < privateSupporters; i++)
        {
            db.Signatures.Add(Supporter(petition, $"Private Supporter {i + 1}", showPublicly: false, confirmed: true, now));
        }

        for (var i = 0; i < pendingSupporters; i++)
        {
            db.Signatures.Add(Supporter(petition, $"Unconfirmed Supporter {i + 1}", showPublicly: true, confirmed: false, now));
        }

        await db.SaveChangesAsync();
        return petition;
    }

    private static Signature Supporter(Petition petition, string name, bool showPublicly, bool confirmed, DateTimeOffset now)
    {
        var email = $"supporter-{Guid.NewGuid():N}@example.test";
        return new Signature
        {
            PetitionId = petition.Id,
            FullName = name,
            Email = email,
            NormalizedEmail = email,
            Country = "GB",
            PostcodeOrCity = "Eastfield",
            ShowPublicly = showPublicly,
            State = confirmed ? SignatureState.Confirmed : SignatureState.Pending,
            ConfirmationTokenHash = RandomNumberGenerator.GetBytes(32),
            CreatedAt = now.AddDays(-9),
            ConfirmedAt = confirmed ? now.AddDays(-9) : null,
        };
    }
}
