using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class DownloadLogMapping : IEntityTypeConfiguration<DownloadLog>
{
    public void Configure(EntityTypeBuilder<DownloadLog> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasOne<DeliveryRecipient>().WithMany().HasForeignKey(x => x.DeliveryRecipientId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.Format).HasMaxLength(10);
        e.Property(x => x.IpAddress).HasMaxLength(45);
    }
}
