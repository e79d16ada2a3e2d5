using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Data.Mappings;

/// <summary>The moderation columns of petitions (see Petition.Moderation.cs), stored by name like the status.</summary>
public sealed class PetitionModerationMapping : IEntityTypeConfiguration<Petition>
{
    public void Configure(EntityTypeBuilder<Petition> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property(p => p.StatusBeforeHidden).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.ModerationReason).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => p.Status).HasDatabaseName("ix_petitions_moderation")
            .HasFilter($"status IN ({SqlStates.AwaitingModeration}, {SqlStates.Hidden})");
    }
}
