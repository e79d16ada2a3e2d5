using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;

namespace Petitions.Tests.Builders;

/// <summary>Arranges a petition in the database, with sensible defaults and only what a test cares about spelled out.</summary>
public sealed class PetitionBuilder
{
    public const string ShortBody = "The potholes on Elm Street damage bikes and cars. Please fix them before winter.";

    private readonly List<(string Name, string? Title, string? Email)> decisionMakers = [];
    private readonly List<(DateTimeOffset At, string[] Recipients)> deliveries = [];
    private string slug = $"petition-{Guid.NewGuid():N}"[..24];
    private string title = "Fix the potholes on Elm Street";
    private string body = ShortBody;
    private string starter = "Elm Street Residents";
    private PetitionStatus status = PetitionStatus.Open;
    private int goal = 100;
    private bool automaticGoal;
    private int signatureCount;

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

    public PetitionBuilder WithGoal(int value, bool automatic = false)
    {
        goal = value;
        automaticGoal = automatic;
        return this;
    }

    /// <summary>
    /// Sets the displayed count directly, as the counter would have. Signatures that really count are added with
    /// <see cref="SignatureBuilder"/>.
    /// </summary>
    public PetitionBuilder WithSignatureCount(int value)
    {
        signatureCount = value;
        return this;
    }

    public PetitionBuilder AddressedTo(string name, string? titleOrOrganization = null, string? email = null)
    {
        decisionMakers.Add((name, titleOrOrganization, email));
        return this;
    }

    public PetitionBuilder DeliveredTo(params string[] recipients) => DeliveredTo(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), recipients);

    public PetitionBuilder DeliveredTo(DateTimeOffset at, params string[] recipients)
    {
        deliveries.Add((at, recipients));
        return this;
    }

    private bool isProtected;
    private bool initialsOnly;

    /// <summary>Protected mode; <paramref name="deliverInitialsOnly"/> makes deliveries list initials and country only.</summary>
    public PetitionBuilder Protected(bool deliverInitialsOnly = false)
    {
        isProtected = true;
        initialsOnly = deliverInitialsOnly;
        return this;
    }

    public Petition Build()
    {
        var (lead, more) = PetitionText.Render(body);
        var now = DateTimeOffset.UtcNow;
        var petition = new Petition
        {
            Slug = slug,
            Title = title,
            Body = body,
            BodyLeadHtml = lead,
            BodyMoreHtml = more,
            StarterName = starter,
            Status = status,
            Goal = goal,
            AutomaticGoal = automaticGoal,
            SignatureCount = signatureCount,
            Protected = isProtected,
            DeliverInitialsOnly = initialsOnly,
            CreatedAt = now.AddDays(-10),
            PublishedAt = status == PetitionStatus.Draft ? null : now.AddDays(-9),
            ClosedAt = status == PetitionStatus.Closed ? now.AddDays(-1) : null,
        };
        var position = 0;
        foreach (var (name, orgTitle, email) in decisionMakers)
        {
            petition.DecisionMakers.Add(new DecisionMaker { Name = name, TitleOrOrganization = orgTitle, Email = email, Position = position++ });
        }

        foreach (var (at, recipients) in deliveries)
        {
            var delivery = new Delivery { DeliveredAt = at, SignatureCount = signatureCount, CoverMessage = "Here are the signatures." };
            delivery.Recipients.AddRange(recipients.Select(r => new DeliveryRecipient { Name = r }));
            petition.Deliveries.Add(delivery);
        }

        return petition;
    }

    public async Task<Petition> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var petition = Build();
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();
        return petition;
    }
}
