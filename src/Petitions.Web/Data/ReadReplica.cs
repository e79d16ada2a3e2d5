using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Petitions.Web.Data;

/// <summary>
/// The database that pages anyone may see a second late are read from: the streaming replica in
/// ConnectionStrings__PetitionsReadOnly when set, else the primary. Browse, search, the JSON API and the petition page
/// read here; everything that must be fresh (signing, confirming, organizing, counting, the outbox) uses
/// <see cref="PetitionsDbContext"/> on the primary.
/// </summary>
public sealed class ReadOnlyPetitionsDb(PetitionsDbContext context, bool owned) : IAsyncDisposable
{
    public PetitionsDbContext Context { get; } = context;

    public ValueTask DisposeAsync() => owned ? Context.DisposeAsync() : ValueTask.CompletedTask;
}

public static class ReadReplica
{
    public const string ConnectionName = "PetitionsReadOnly";

    public static IServiceCollection AddReadReplica(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddScoped(sp => new ReadOnlyPetitionsDb(sp.GetRequiredService<PetitionsDbContext>(), owned: false));
            return services;
        }

        var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "petitions-read-only" }.Build();
        // Built once: EF reuses its internal services and model for equal options.
        var builder = new DbContextOptionsBuilder<PetitionsDbContext>();
        PetitionsDbContext.ConfigureOptions(builder, dataSource).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        var options = builder.Options;
        services.AddScoped(_ => new ReadOnlyPetitionsDb(new PetitionsDbContext(options), owned: true));
        return services;
    }
}
