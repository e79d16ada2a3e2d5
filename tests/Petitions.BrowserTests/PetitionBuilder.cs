using System.Security.Cryptography;
using Petitions.Web.Data;
using Petitions.Web.Features.Petitions;

namespace Petitions.BrowserTests;

/// <summary>Builds an open petition with confirmed, already counted supporters, as the site would have left it.</summary>
public sealed class PetitionBuilder
{
    private string title = "Plant a tree on every street in Eastfield";
    private string body =
        "We ask the council to plant a tree on every residential street in Eastfield by 2030.\n\n" +
        "Trees cool our streets in summer, clean the air our children breathe and make walking to school a pleasure. " +
        "Eastfield has fewer street trees than any other district in the city, and the gap grows every year as old trees " +
        "are felled and not replaced.\n\n" +
        string.Concat(Enumerable.Repeat("Every tree planted now will shade our streets for the next hundred years. ", 8)) + "\n\n" +
        "Sign to tell the council that Eastfield wants its trees back.";
    private int supporters = 3;
    private int privateSupporters;
    private int pendingSupporters;
    private int goal = 100;
    private string? ownerId;
    private string starterName = "Eastfield Tree Wardens";
    private (string Name, string? TitleOrOrganization, string? Email) decisionMaker = ("Cllr Sam Reed", "Eastfield Council", null);

    public PetitionBuilder WithTitle(string value)
    {
        title = value;
        return this;
    }

    public PetitionBuilder WithBody(string markdown)
    {
        body = markdown;
        return this;
    }

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

    public PetitionBuilder WithGoal(int value)
    {
        goal = value;
        return this;
    }

    public PetitionBuilder OwnedBy(string userId, string starter)
    {
        ownerId = userId;
        starterName = starter;
        return this;
    }

    /// <summary>The petition's one decision maker, with or without an email address to deliver to.</summary>
    public PetitionBuilder AddressedTo(string name, string? titleOrOrganization, string? email = null)
    {
        decisionMaker = (name, titleOrOrganization, email);
        return this;
    }

    public async Task<Petition> SaveAsync(PetitionsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = DateTimeOffset.UtcNow;
        var (lead, more) = PetitionText.Render(body);
        var petition = new Petition
        {
            Slug = $"trees-{Guid.NewGuid():N}"[..20],
            Title = title,
            Body = body,
            BodyLeadHtml = lead,
            BodyMoreHtml = more,
            StarterName = starterName,
            OwnerId = ownerId,
            Category = "Environment",
            Status = PetitionStatus.Open,
            Goal = goal,
            SignatureCount = supporters + privateSupporters,
            CreatedAt = now.AddDays(-10),
            PublishedAt = now.AddDays(-10),
            DecisionMakers =
            {
                new DecisionMaker { Name = decisionMaker.Name, TitleOrOrganization = decisionMaker.TitleOrOrganization, Email = decisionMaker.Email, Position = 0 },
            },
        };
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();

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
