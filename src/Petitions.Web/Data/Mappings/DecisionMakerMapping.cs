using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class DecisionMakerMapping : IEntityTypeConfiguration<DecisionMaker>
{
    public void Configure(EntityTypeBuilder<DecisionMaker> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(d => d.Name).HasMaxLength(200);
        e.Property(d => d.TitleOrOrganization).HasMaxLength(200);
        e.Property(d => d.Email).HasMaxLength(254);
    }
}
