using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Web.Data;

namespace Petitions.Tests.Dashboard;

/// <summary>Arranges petitions owned by an organizer, and signatures at chosen moments, for the dashboard tests.</summary>
public static class DashboardArrange
{
    /// <summary>Saves the petition that <paramref name="builder"/> describes, owned by <paramref name="ownerId"/>, after <paramref name="adjust"/>.</summary>
    public static async Task<Petition> OwnedPetitionAsync(this IServiceProvider services, string? ownerId, PetitionBuilder? builder = null, Action<Petition>? adjust = null)
    {
        var petition = (builder ?? new PetitionBuilder()).Build();
        petition.OwnerId = ownerId;
        adjust?.Invoke(petition);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();
        return petition;
    }

    /// <summary>A confirmed signature, confirmed at <paramref name="confirmedAt"/>.</summary>
    public static Signature ConfirmedAt(this SignatureBuilder builder, DateTimeOffset confirmedAt, bool shareEmail = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var signature = builder.Confirmed(alreadyCounted: true).CreatedAt(confirmedAt.AddMinutes(-1)).Build();
        signature.ConfirmedAt = confirmedAt;
        signature.ShareEmailWithOrganizer = shareEmail;
        return signature;
    }

    public static async Task SaveAsync(this IServiceProvider services, params Signature[] signatures)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        db.Signatures.AddRange(signatures);
        await db.SaveChangesAsync();
    }

    public static async Task SaveAsync(this IServiceProvider services, params PetitionUpdate[] updates)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        db.PetitionUpdates.AddRange(updates);
        await db.SaveChangesAsync();
    }

    /// <summary>Midnight UTC, <paramref name="daysAgo"/> days before today, plus <paramref name="hours"/>.</summary>
    public static DateTimeOffset DaysAgo(int daysAgo, double hours = 0) =>
        new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-daysAgo).AddHours(hours);
}
