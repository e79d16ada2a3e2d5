using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class DeliveryTreeMapping : IEntityTypeConfiguration<DeliveryTree>
{
    public void Configure(EntityTypeBuilder<DeliveryTree> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(t => t.DeliveryId);
        e.Property(t => t.DeliveryId).ValueGeneratedNever();
        e.HasOne<Delivery>().WithOne().HasForeignKey<DeliveryTree>(t => t.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
