using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class DeliveryRecipientMapping : IEntityTypeConfiguration<DeliveryRecipient>
{
    public void Configure(EntityTypeBuilder<DeliveryRecipient> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(r => r.Name).HasMaxLength(200);
        e.Property(r => r.TitleOrOrganization).HasMaxLength(200);
        e.Property(r => r.Email).HasMaxLength(254);
        e.HasIndex(r => r.AccessTokenHash).IsUnique();
    }
}
