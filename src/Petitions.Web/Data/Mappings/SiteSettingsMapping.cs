using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class SiteSettingsMapping : IEntityTypeConfiguration<SiteSettings>
{
    public void Configure(EntityTypeBuilder<SiteSettings> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasData(new SiteSettings { Id = SiteSettings.SingletonId });
    }
}

public sealed class SigningBlockMapping : IEntityTypeConfiguration<SigningBlock>
{
    public void Configure(EntityTypeBuilder<SigningBlock> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(x => x.Value).HasMaxLength(260);
        builder.Property(x => x.Reason).HasMaxLength(2000);
        builder.Property(x => x.CreatedById).HasMaxLength(450);
        builder.HasIndex(x => new { x.Kind, x.Value }).IsUnique();
    }
}
