using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class PetitionCountryCountMapping : IEntityTypeConfiguration<PetitionCountryCount>
{
    public void Configure(EntityTypeBuilder<PetitionCountryCount> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => new { c.PetitionId, c.Country });
        e.Property(c => c.Country).HasMaxLength(2);
        e.HasOne<Petition>().WithMany().HasForeignKey(c => c.PetitionId).OnDelete(DeleteBehavior.Cascade);
    }
}
