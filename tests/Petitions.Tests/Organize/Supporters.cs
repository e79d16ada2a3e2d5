using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

public enum SupporterKind
{
    /// <summary>Confirmed, and asked for updates: the only kind that gets notices.</summary>
    OptedIn,

    /// <summary>Confirmed, but did not tick "email me updates".</summary>
    NotOptedIn,

    /// <summary>Asked for updates but never confirmed the signature.</summary>
    Pending,

    /// <summary>Confirmed and asked for updates, then unsubscribed.</summary>
    Unsubscribed,
}

/// <summary>Signatures arranged in the database with the email preferences a test needs.</summary>
public static class Supporters
{
    public static async Task<Signature> AddAsync(IServiceProvider services, long petitionId, SupporterKind kind, string email, string name = "Grace Hopper")
    {
        var builder = new SignatureBuilder(petitionId).Named(name).WithEmail(email);
        var signature = (kind == SupporterKind.Pending ? builder.Pending() : builder.Confirmed()).Build();
        signature.EmailUpdates = kind != SupporterKind.NotOptedIn;
        signature.UnsubscribedAt = kind == SupporterKind.Unsubscribed ? DateTimeOffset.UtcNow.AddDays(-1) : null;

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        db.Signatures.Add(signature);
        // A confirmation counts through count_events, as the confirmation would have written it.
        if (builder.BuildCountEvent() is { } countEvent)
        {
            db.CountEvents.Add(countEvent);
        }

        await db.SaveChangesAsync();
        return signature;
    }

    /// <summary>Adds confirmed signatures (not opted in to email) so a petition reaches a count.</summary>
    public static Task AddConfirmedAsync(IServiceProvider services, long petitionId, int count) =>
        SignatureBuilder.CreateManyAsync(services, Enumerable.Range(0, count).Select(_ => new SignatureBuilder(petitionId).Confirmed()));
}
