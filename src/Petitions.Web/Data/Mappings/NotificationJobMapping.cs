using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class NotificationJobMapping : IEntityTypeConfiguration<NotificationJob>
{
    public void Configure(EntityTypeBuilder<NotificationJob> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.Kind).HasMaxLength(30);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.Arguments).HasColumnType("jsonb");
        e.HasOne(x => x.Update).WithMany().HasForeignKey(x => x.UpdateId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.Id).HasDatabaseName("ix_notification_jobs_pending").HasFilter("completed_at IS NULL");
    }
}
