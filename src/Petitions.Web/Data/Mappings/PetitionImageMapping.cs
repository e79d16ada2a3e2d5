using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Petitions.Web.Features.Images;

namespace Petitions.Web.Data.Mappings;

public sealed class PetitionImageMapping : IEntityTypeConfiguration<PetitionImage>
{
    public void Configure(EntityTypeBuilder<PetitionImage> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("petition_images");
        builder.Property(i => i.Hash).HasMaxLength(64);
        builder.HasIndex(i => i.PetitionId).IsUnique();
        builder.HasIndex(i => i.Hash);
        builder.HasOne<Petition>().WithMany().HasForeignKey(i => i.PetitionId).OnDelete(DeleteBehavior.Cascade);
    }
}
