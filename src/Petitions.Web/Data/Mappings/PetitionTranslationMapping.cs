using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Data.Mappings;

internal sealed class PetitionTranslationMapping : IEntityTypeConfiguration<PetitionTranslation>
{
    public void Configure(EntityTypeBuilder<PetitionTranslation> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(t => t.Language).HasMaxLength(8);
        e.Property(t => t.Title).HasMaxLength(200);
        e.HasIndex(t => new { t.PetitionId, t.Language }).IsUnique();
        e.HasOne<Petition>().WithMany().HasForeignKey(t => t.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.Property(t => t.SearchVector).HasComputedColumnSql(TextSearchSql.WeightedVector("language"), stored: true);
        e.HasIndex(t => t.SearchVector).HasMethod("GIN");
    }
}

/// <summary>The petition's original language (Data/PetitionTranslation.cs).</summary>
internal sealed class PetitionLanguageMapping : IEntityTypeConfiguration<Petition>
{
    public void Configure(EntityTypeBuilder<Petition> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(p => p.Language).HasMaxLength(8).HasDefaultValue("en");
    }
}

internal sealed class PetitionUpdateTranslationMapping : IEntityTypeConfiguration<PetitionUpdateTranslation>
{
    public void Configure(EntityTypeBuilder<PetitionUpdateTranslation> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(t => t.Language).HasMaxLength(8);
        e.Property(t => t.Title).HasMaxLength(200);
        e.HasIndex(t => new { t.UpdateId, t.Language }).IsUnique();
        e.HasOne<PetitionUpdate>().WithMany().HasForeignKey(t => t.UpdateId).OnDelete(DeleteBehavior.Cascade);
    }
}
