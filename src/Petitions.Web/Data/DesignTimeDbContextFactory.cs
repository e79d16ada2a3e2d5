using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Petitions.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the site.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PetitionsDbContext>
{
    public PetitionsDbContext CreateDbContext(string[] args) =>
        new(PetitionsDbContext.CreateOptions("Host=localhost;Database=petitions_design"));
}
