using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class LoginThrottleEntryMapping : IEntityTypeConfiguration<LoginThrottleEntry>
{
    public void Configure(EntityTypeBuilder<LoginThrottleEntry> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.ToTable("login_throttle");
        e.HasKey(x => x.KeyHash);
    }
}
