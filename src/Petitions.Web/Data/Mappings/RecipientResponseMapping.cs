using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class RecipientResponseMapping : IEntityTypeConfiguration<RecipientResponse>
{
    public void Configure(EntityTypeBuilder<RecipientResponse> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasOne<DeliveryRecipient>().WithMany().HasForeignKey(x => x.DeliveryRecipientId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.DeliveryRecipientId).IsUnique();
    }
}
