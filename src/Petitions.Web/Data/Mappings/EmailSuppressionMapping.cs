using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class EmailSuppressionMapping : IEntityTypeConfiguration<EmailSuppression>
{
    public void Configure(EntityTypeBuilder<EmailSuppression> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(x => x.AddressHash);
        e.Property(x => x.Reason).HasMaxLength(20);
    }
}
