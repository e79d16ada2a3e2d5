using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class SignerAccessLinkMapping : IEntityTypeConfiguration<SignerAccessLink>
{
    public void Configure(EntityTypeBuilder<SignerAccessLink> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasKey(x => x.TokenHash);
        builder.Property(x => x.NormalizedEmail).HasMaxLength(254);
        builder.HasIndex(x => x.ExpiresAt);
    }
}
