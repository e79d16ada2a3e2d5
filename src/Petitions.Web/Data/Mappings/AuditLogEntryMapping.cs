using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

public sealed class AuditLogEntryMapping : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("audit_log");
        builder.Property(x => x.ActorId).HasMaxLength(450);
        builder.Property(x => x.Action).HasConversion<string>().HasMaxLength(40);
        builder.Property(x => x.TargetKind).HasConversion<string>().HasMaxLength(30);
        builder.Property(x => x.TargetId).HasMaxLength(100);
        builder.Property(x => x.Reason).HasMaxLength(2000);
        // No foreign keys: the log outlives deleted accounts and petitions.
        builder.HasIndex(x => new { x.At, x.Id }).IsDescending(true, true);
        builder.HasIndex(x => new { x.ActorId, x.At });
        builder.HasIndex(x => new { x.PetitionId, x.At });
        builder.HasIndex(x => new { x.Action, x.At });
    }
}
