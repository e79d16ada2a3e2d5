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
    private int goal = 100;

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

    public PetitionBuilder WithGoal(int value)
    {
        goal = value;
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
            StarterName = "Eastfield Tree Wardens",
            Category = "Environment",
            Status = PetitionStatus.Open,
            Goal = goal,
            SignatureCount = supporters,
            CreatedAt = now.AddDays(-10),
            PublishedAt = now.AddDays(-10),
            DecisionMakers = { new DecisionMaker { Name = "Cllr Sam Reed", TitleOrOrganization = "Eastfield Council", Position = 0 } },
        };
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();

        for (var i = 0; i < supporters; i++)
        {
            var email = $"supporter{i}-{Guid.NewGuid():N}@example.test";
            db.Signatures.Add(new Signature
            {
                PetitionId = petition.Id,
                FullName = $"Early Supporter {i + 1}",
                Email = email,
                NormalizedEmail = email,
                Country = "GB",
                PostcodeOrCity = "Eastfield",
                ShowPublicly = true,
                State = SignatureState.Confirmed,
                ConfirmationTokenHash = RandomNumberGenerator.GetBytes(32),
                CreatedAt = now.AddDays(-9),
                ConfirmedAt = now.AddDays(-9),
                // Counted already, so that the count above matches what a recount would find.
                Counted = true,
            });
        }

        await db.SaveChangesAsync();
        return petition;
    }
}
