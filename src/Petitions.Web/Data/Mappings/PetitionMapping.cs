using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class PetitionMapping : IEntityTypeConfiguration<Petition>
{
    public void Configure(EntityTypeBuilder<Petition> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasIndex(p => p.Slug).IsUnique();
        e.Property(p => p.Slug).HasMaxLength(160);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.StarterName).HasMaxLength(200);
        e.Property(p => p.Category).HasMaxLength(60);
        e.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        e.HasIndex(p => new { p.Status, p.SignatureCount, p.Id });
        e.HasIndex(p => new { p.Status, p.PublishedAt, p.Id });
        e.HasIndex(p => new { p.Status, p.ClosesAt, p.Id });
        e.HasIndex(p => new { p.Category, p.Status, p.SignatureCount });
        e.HasIndex(p => new { p.Category, p.Status, p.PublishedAt, p.Id });
        e.HasIndex(p => new { p.Category, p.Status, p.ClosesAt, p.Id });
        e.HasIndex(p => p.OwnerId);
        // In the petition's own language's configuration (Data/Sql/TextSearchSql.cs).
        e.Property(p => p.SearchVector).HasComputedColumnSql(Sql.TextSearchSql.WeightedVector("language"), stored: true);
        e.HasIndex(p => p.SearchVector).HasMethod("GIN");
        e.HasMany(p => p.DecisionMakers).WithOne().HasForeignKey(d => d.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(p => p.Deliveries).WithOne().HasForeignKey(d => d.PetitionId).OnDelete(DeleteBehavior.Cascade);
    }
}
