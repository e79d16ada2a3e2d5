using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class OutboxMessageMapping : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.Property(m => m.MessageId).HasMaxLength(200);
        e.Property(m => m.Kind).HasMaxLength(60);
        e.Property(m => m.ToAddress).HasMaxLength(254);
        e.Property(m => m.ToName).HasMaxLength(200);
        e.Property(m => m.Subject).HasMaxLength(300);
        e.Property(m => m.HeadersJson).HasColumnType("jsonb");
        e.Property(m => m.ModelJson).HasColumnType("jsonb");
        e.Property(m => m.Language).HasMaxLength(16);
        e.HasIndex(m => m.DueAt).HasDatabaseName("ix_outbox_messages_due")
            .HasFilter("sent_at IS NULL AND failed_at IS NULL");
    }
}
