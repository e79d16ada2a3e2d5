using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Petitions.Web.Data.Mappings;

internal sealed class SignatureMapping : IEntityTypeConfiguration<Signature>
{
    public void Configure(EntityTypeBuilder<Signature> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Wide enough for a protected petition's base64 ciphertext of the longest accepted value (SignerProtection.Overhead
        // plus up to 4 UTF-8 bytes a character); the sign form still limits what people type.
        e.Property(s => s.FullName).HasMaxLength(600);
        e.Property(s => s.Email).HasMaxLength(1100);
        e.Property(s => s.NormalizedEmail).HasMaxLength(254);
        e.Property(s => s.Country).HasMaxLength(2);
        e.Property(s => s.PostcodeOrCity).HasMaxLength(600);
        e.Property(s => s.Reason).HasMaxLength(5400);
        e.Property(s => s.Language).HasMaxLength(16).HasDefaultValue("en");
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
        e.HasIndex(s => s.NormalizedEmail);
        e.Property(s => s.InvalidatedById).HasMaxLength(450);
        e.Property(s => s.InvalidationReason).HasMaxLength(2000);
        e.HasOne<SignatureInvalidation>().WithMany().HasForeignKey(s => s.InvalidationId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(s => s.InvalidationId).HasFilter("invalidation_id IS NOT NULL");
        // The trending job reads the last hour of signatures of every petition.
        e.HasIndex(s => s.CreatedAt);
    }
}
