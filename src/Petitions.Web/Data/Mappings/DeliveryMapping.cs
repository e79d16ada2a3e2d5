using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class DeliveryMapping : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasMany(d => d.Recipients).WithOne().HasForeignKey(r => r.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(d => new { d.DeliveredById, d.DeliveredAt });
        e.Property(d => d.Language).HasMaxLength(16).HasDefaultValue("en");
    }
}
