using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class PetitionEditMapping : IEntityTypeConfiguration<PetitionEdit>
{
    public void Configure(EntityTypeBuilder<PetitionEdit> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.PreviousDecisionMakersJson).HasColumnType("jsonb");
        e.HasIndex(x => new { x.PetitionId, x.EditedAt });
    }
}
