using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Petitions.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the site.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PetitionsDbContext>
{
    public PetitionsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PetitionsDbContext>()
            .UseNpgsql("Host=localhost;Database=petitions_design", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}
