using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Web.Data;

namespace Petitions.Tests.Browse;

/// <summary>
/// A <see cref="PetitionBuilder"/> plus what listings care about: category, victory, publishing and closing dates.
/// </summary>
public sealed class ListedPetitionBuilder
{
    private static readonly DateTimeOffset Epoch = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly PetitionBuilder inner = new();
    private string category = "Other";
    private PetitionStatus? status;
    private DateTimeOffset published = Epoch;
    private DateTimeOffset? closes;

    public ListedPetitionBuilder Titled(string title)
    {
        inner.WithTitle(title);
        return this;
    }

    public ListedPetitionBuilder WithBody(string markdown)
    {
        inner.WithBody(markdown);
        return this;
    }

    public ListedPetitionBuilder StartedBy(string name)
    {
        inner.StartedBy(name);
        return this;
    }

    public ListedPetitionBuilder WithSignatures(int count)
    {
        inner.WithSignatureCount(count);
        return this;
    }

    public ListedPetitionBuilder InCategory(string value)
    {
        category = value;
        return this;
    }

    public ListedPetitionBuilder Closed()
    {
        status = PetitionStatus.Closed;
        return this;
    }

    public ListedPetitionBuilder Victory()
    {
        status = PetitionStatus.Victory;
        return this;
    }

    public ListedPetitionBuilder Draft()
    {
        status = PetitionStatus.Draft;
        return this;
    }

    /// <summary>Published this many days after a fixed date, so "newest" has a known order.</summary>
    public ListedPetitionBuilder PublishedOnDay(int day)
    {
        published = Epoch.AddDays(day);
        return this;
    }

    public ListedPetitionBuilder ClosesInDays(int days)
    {
        closes = DateTimeOffset.UtcNow.Date.AddDays(days);
        return this;
    }

    public Petition Build()
    {
        var petition = inner.Build();
        petition.Category = category;
        petition.Status = status ?? PetitionStatus.Open;
        petition.PublishedAt = petition.Status == PetitionStatus.Draft ? null : published;
        petition.ClosesAt = closes;
        if (petition.Status == PetitionStatus.Closed)
        {
            petition.ClosedAt = published.AddDays(30);
        }
        else if (petition.Status == PetitionStatus.Victory)
        {
            petition.ClosedAt = published.AddDays(30);
            petition.VictoryAt = published.AddDays(30);
            petition.VictoryMessage = "We won.";
        }

        return petition;
    }

    public async Task<Petition> CreateAsync(IServiceProvider services) => (await CreateManyAsync(services, this))[0];

    public static async Task<IReadOnlyList<Petition>> CreateManyAsync(IServiceProvider services, params IEnumerable<ListedPetitionBuilder> builders)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var petitions = builders.Select(b => b.Build()).ToList();
        db.Petitions.AddRange(petitions);
        await db.SaveChangesAsync();
        return petitions;
    }
}
