using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class SignatureInvalidationMapping : IEntityTypeConfiguration<SignatureInvalidation>
{
    public void Configure(EntityTypeBuilder<SignatureInvalidation> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(x => x.ById).HasMaxLength(450);
        builder.Property(x => x.UndoneById).HasMaxLength(450);
        builder.Property(x => x.Reason).HasMaxLength(2000);
        builder.Property(x => x.Criteria).HasMaxLength(2000);
        builder.HasIndex(x => x.At);
    }
}

public sealed class TrendingFindingMapping : IEntityTypeConfiguration<TrendingFinding>
{
    public void Configure(EntityTypeBuilder<TrendingFinding> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(x => x.Value).HasMaxLength(260);
        builder.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.PetitionId, x.Kind, x.Value }).IsUnique();
        builder.HasIndex(x => x.LastSeenAt);
    }
}
