using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class PetitionUpdateMapping : IEntityTypeConfiguration<PetitionUpdate>
{
    public void Configure(EntityTypeBuilder<PetitionUpdate> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(u => u.Title).HasMaxLength(200);
        e.HasOne<Petition>().WithMany().HasForeignKey(u => u.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(u => new { u.PetitionId, u.PostedAt });
    }
}
