using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Data;
using Petitions.Web.Features.Signing;

namespace Petitions.Tests.Builders;

/// <summary>
/// Arranges a signature directly in the database, for tests about what happens after signing (supporters shown,
/// counting, confirming). <see cref="Token"/> is the confirmation token whose hash is stored.
/// </summary>
public sealed class SignatureBuilder(long petitionId)
{
    private readonly (string Token, byte[] Hash) token = Tokens.Create();
    private string fullName = "Grace Hopper";
    private string email = $"grace-{Guid.NewGuid():N}@example.test";
    private string country = "US";
    private string place = "Arlington";
    private string? reason;
    private bool showPublicly = true;
    private SignatureState state = SignatureState.Pending;
    private bool counted;
    private DateTimeOffset createdAt = DateTimeOffset.UtcNow.AddMinutes(-5);
    private string language = "en";

    public string Token => token.Token;

    public SignatureBuilder Named(string value)
    {
        fullName = value;
        return this;
    }

    public SignatureBuilder WithEmail(string value)
    {
        email = value;
        return this;
    }

    public SignatureBuilder From(string countryCode, string postcodeOrCity)
    {
        country = countryCode;
        place = postcodeOrCity;
        return this;
    }

    public SignatureBuilder WithReason(string? value)
    {
        reason = value;
        return this;
    }

    public SignatureBuilder Private()
    {
        showPublicly = false;
        return this;
    }

    public SignatureBuilder Pending()
    {
        state = SignatureState.Pending;
        counted = false;
        return this;
    }

    /// <summary>Confirmed; <paramref name="alreadyCounted"/> says whether the counter has added it to the petition's count yet (if not, its count event is waiting).</summary>
    public SignatureBuilder Confirmed(bool alreadyCounted = false)
    {
        state = SignatureState.Confirmed;
        counted = alreadyCounted;
        return this;
    }

    /// <summary>The language the signer signed in (the page's).</summary>
    public SignatureBuilder WithLanguage(string value)
    {
        language = value;
        return this;
    }

    public SignatureBuilder CreatedAt(DateTimeOffset value)
    {
        createdAt = value;
        return this;
    }

    /// <summary>Stores the fields as a protected petition's signing does: sealed, the address's keyed hash, no IP.</summary>
    public SignatureBuilder SealedWith(global::Petitions.Web.Domain.Privacy.ProtectedFields fields)
    {
        sealer = fields;
        return this;
    }

    private global::Petitions.Web.Domain.Privacy.ProtectedFields? sealer;

    public Signature Build()
    {
        var signature = BuildPlain();
        if (sealer is not null)
        {
            var stored = sealer.Seal(petitionId, signature.NormalizedEmail, new global::Petitions.Web.Domain.Privacy.SignerFields(fullName, email, place, reason));
            (signature.NormalizedEmail, signature.FullName, signature.Email, signature.PostcodeOrCity, signature.Reason, signature.IpAddress) =
                (stored.NormalizedEmail, stored.FullName, stored.Email, stored.PostcodeOrCity, stored.Reason, null);
        }

        return signature;
    }

    private Signature BuildPlain() => new()
    {
        PetitionId = petitionId,
        FullName = fullName,
        Email = email,
        NormalizedEmail = EmailAddresses.Normalize(email),
        Country = country,
        PostcodeOrCity = place,
        Reason = reason,
        ShowPublicly = showPublicly,
        State = state,
        ConfirmationTokenHash = token.Hash,
        CreatedAt = createdAt,
        ConfirmedAt = state == SignatureState.Confirmed ? createdAt.AddMinutes(1) : null,
        Language = language,
    };

    /// <summary>The count event a confirmation not yet counted has waiting, as the confirmation would have written it.</summary>
    public CountEvent? BuildCountEvent() =>
        state == SignatureState.Confirmed && !counted ? new CountEvent { PetitionId = petitionId, Delta = 1, Country = country } : null;

    public async Task<Signature> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var signature = Build();
        db.Signatures.Add(signature);
        if (BuildCountEvent() is { } countEvent)
        {
            db.CountEvents.Add(countEvent);
        }

        await db.SaveChangesAsync();
        return signature;
    }

    public static async Task CreateManyAsync(IServiceProvider services, IEnumerable<SignatureBuilder> builders)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var all = builders.ToList();
        db.Signatures.AddRange(all.Select(b => b.Build()));
        db.CountEvents.AddRange(all.Select(b => b.BuildCountEvent()).OfType<CountEvent>());
        await db.SaveChangesAsync();
    }
}
