using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class CountEventMapping : IEntityTypeConfiguration<CountEvent>
{
    public void Configure(EntityTypeBuilder<CountEvent> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("count_events");
        builder.Property(e => e.Country).HasMaxLength(2);
        // No foreign key to petitions: its check would lock the viral petition's row on every confirmation. The counter
        // applies events only to petitions that exist, and a recount drops any left over.
    }
}
