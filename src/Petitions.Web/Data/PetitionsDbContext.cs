using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Petitions.Web.Data;

public class PetitionsDbContext(DbContextOptions<PetitionsDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Petition> Petitions => Set<Petition>();
    public DbSet<DecisionMaker> DecisionMakers => Set<DecisionMaker>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryRecipient> DeliveryRecipients => Set<DeliveryRecipient>();
    public DbSet<PetitionUpdate> PetitionUpdates => Set<PetitionUpdate>();
    public DbSet<PetitionEdit> PetitionEdits => Set<PetitionEdit>();
    public DbSet<RecipientResponse> RecipientResponses => Set<RecipientResponse>();
    public DbSet<DownloadLog> DownloadLogs => Set<DownloadLog>();
    public DbSet<NotificationJob> NotificationJobs => Set<NotificationJob>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Signature> Signatures => Set<Signature>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<Petition>(e =>
        {
            e.HasIndex(p => p.Slug).IsUnique();
            e.Property(p => p.Slug).HasMaxLength(160);
            e.Property(p => p.Title).HasMaxLength(200);
            e.Property(p => p.StarterName).HasMaxLength(200);
            e.Property(p => p.Category).HasMaxLength(60);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(p => new { p.Status, p.SignatureCount, p.Id });
            e.HasIndex(p => new { p.Status, p.PublishedAt, p.Id });
            e.HasIndex(p => new { p.Status, p.ClosesAt, p.Id });
            e.HasIndex(p => new { p.Category, p.Status, p.SignatureCount });
            e.HasIndex(p => new { p.Category, p.Status, p.PublishedAt, p.Id });
            e.HasIndex(p => new { p.Category, p.Status, p.ClosesAt, p.Id });
            e.HasIndex(p => p.OwnerId);
            e.Property(p => p.SearchVector).HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')",
                stored: true);
            e.HasIndex(p => p.SearchVector).HasMethod("GIN");
            e.HasMany(p => p.DecisionMakers).WithOne().HasForeignKey(d => d.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Deliveries).WithOne().HasForeignKey(d => d.PetitionId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PetitionUpdate>(e =>
        {
            e.Property(u => u.Title).HasMaxLength(200);
            e.HasOne<Petition>().WithMany().HasForeignKey(u => u.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(u => new { u.PetitionId, u.PostedAt });
        });

        builder.Entity<PetitionEdit>(e =>
        {
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.PreviousDecisionMakersJson).HasColumnType("jsonb");
            e.HasIndex(x => new { x.PetitionId, x.EditedAt });
        });

        builder.Entity<RecipientResponse>(e =>
        {
            e.HasOne<DeliveryRecipient>().WithMany().HasForeignKey(x => x.DeliveryRecipientId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.DeliveryRecipientId).IsUnique();
        });

        builder.Entity<DownloadLog>(e =>
        {
            e.HasOne<DeliveryRecipient>().WithMany().HasForeignKey(x => x.DeliveryRecipientId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Format).HasMaxLength(10);
            e.Property(x => x.IpAddress).HasMaxLength(45);
        });

        builder.Entity<NotificationJob>(e =>
        {
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Kind).HasMaxLength(30);
            e.Property(x => x.Subject).HasMaxLength(300);
            e.HasIndex(x => x.Id).HasDatabaseName("ix_notification_jobs_pending").HasFilter("completed_at IS NULL");
        });

        builder.Entity<DecisionMaker>(e =>
        {
            e.Property(d => d.Name).HasMaxLength(200);
            e.Property(d => d.TitleOrOrganization).HasMaxLength(200);
            e.Property(d => d.Email).HasMaxLength(254);
        });

        builder.Entity<Delivery>(e =>
            e.HasMany(d => d.Recipients).WithOne().HasForeignKey(r => r.DeliveryId).OnDelete(DeleteBehavior.Cascade));

        builder.Entity<DeliveryRecipient>(e =>
        {
            e.Property(r => r.Name).HasMaxLength(200);
            e.Property(r => r.TitleOrOrganization).HasMaxLength(200);
            e.Property(r => r.Email).HasMaxLength(254);
            e.HasIndex(r => r.AccessTokenHash).IsUnique();
        });

        builder.Entity<Signature>(e =>
        {
            e.Property(s => s.FullName).HasMaxLength(100);
            e.Property(s => s.Email).HasMaxLength(254);
            e.Property(s => s.NormalizedEmail).HasMaxLength(254);
            e.Property(s => s.Country).HasMaxLength(2);
            e.Property(s => s.PostcodeOrCity).HasMaxLength(100);
            e.Property(s => s.Reason).HasMaxLength(1000);
            e.Property(s => s.IpAddress).HasMaxLength(45);
            e.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
            e.HasOne<Petition>().WithMany().HasForeignKey(s => s.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(s => new { s.PetitionId, s.NormalizedEmail }).IsUnique();
            e.HasIndex(s => s.ConfirmationTokenHash).IsUnique();
            e.HasIndex(s => new { s.PetitionId, s.ConfirmedAt });
            e.HasIndex(s => new { s.PetitionId, s.ConfirmedAt }).HasDatabaseName("ix_signatures_public_recent")
                .IsDescending(false, true).HasFilter("state = 'Confirmed' AND show_publicly");
            e.HasIndex(s => new { s.PetitionId, s.Id }).HasDatabaseName("ix_signatures_update_recipients")
                .HasFilter("state = 'Confirmed' AND email_updates AND unsubscribed_at IS NULL");
            // Small partial index: only confirmations still waiting to be counted.
            e.HasIndex(s => s.Id).HasDatabaseName("ix_signatures_uncounted")
                .HasFilter("state = 'Confirmed' AND NOT counted");
        });

        builder.Entity<OutboxMessage>(e =>
        {
            e.Property(m => m.MessageId).HasMaxLength(200);
            e.Property(m => m.Kind).HasMaxLength(60);
            e.Property(m => m.ToAddress).HasMaxLength(254);
            e.Property(m => m.ToName).HasMaxLength(200);
            e.Property(m => m.Subject).HasMaxLength(300);
            e.Property(m => m.HeadersJson).HasColumnType("jsonb");
            e.HasIndex(m => m.DueAt).HasDatabaseName("ix_outbox_messages_due")
                .HasFilter("sent_at IS NULL AND failed_at IS NULL");
        });
    }
}
