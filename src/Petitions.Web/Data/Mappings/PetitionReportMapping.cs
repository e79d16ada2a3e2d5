using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class PetitionReportMapping : IEntityTypeConfiguration<PetitionReport>
{
    public void Configure(EntityTypeBuilder<PetitionReport> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(x => x.Reason).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.Details).HasMaxLength(2000);
        builder.Property(x => x.Email).HasMaxLength(254);
        builder.Property(x => x.IpAddress).HasMaxLength(45);
        builder.Property(x => x.ClosedById).HasMaxLength(450);
        builder.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.PetitionId, x.IpAddress }).IsUnique().HasDatabaseName("ix_petition_reports_open_per_ip")
            .HasFilter("closed_at IS NULL");
        builder.HasIndex(x => x.CreatedAt).HasDatabaseName("ix_petition_reports_open").HasFilter("closed_at IS NULL");
    }
}
