using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class EmailThrottleEntryMapping : IEntityTypeConfiguration<EmailThrottleEntry>
{
    public void Configure(EntityTypeBuilder<EmailThrottleEntry> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.ToTable("email_throttle");
        e.HasKey(x => x.AddressHash);
    }
}
