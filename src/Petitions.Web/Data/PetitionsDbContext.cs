using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Petitions.Web.Data;

public class PetitionsDbContext(DbContextOptions<PetitionsDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Petition> Petitions => Set<Petition>();
    public DbSet<DecisionMaker> DecisionMakers => Set<DecisionMaker>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryRecipient> DeliveryRecipients => Set<DeliveryRecipient>();
    public DbSet<DeliveryTree> DeliveryTrees => Set<DeliveryTree>();
    public DbSet<PetitionUpdate> PetitionUpdates => Set<PetitionUpdate>();
    public DbSet<PetitionEdit> PetitionEdits => Set<PetitionEdit>();
    public DbSet<RecipientResponse> RecipientResponses => Set<RecipientResponse>();
    public DbSet<DownloadLog> DownloadLogs => Set<DownloadLog>();
    public DbSet<NotificationJob> NotificationJobs => Set<NotificationJob>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Signature> Signatures => Set<Signature>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<EmailThrottleEntry> EmailThrottle => Set<EmailThrottleEntry>();
    public DbSet<PetitionCountryCount> PetitionCountryCounts => Set<PetitionCountryCount>();
    public DbSet<EmailSuppression> EmailSuppressions => Set<EmailSuppression>();
    public DbSet<LoginThrottleEntry> LoginThrottle => Set<LoginThrottleEntry>();
    public DbSet<CountEvent> CountEvents => Set<CountEvent>();
    public DbSet<SignerAccessLink> SignerAccessLinks => Set<SignerAccessLink>();
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();
    public DbSet<PetitionReport> PetitionReports => Set<PetitionReport>();
    public DbSet<SiteSettings> SiteSettings => Set<SiteSettings>();
    public DbSet<SigningBlock> SigningBlocks => Set<SigningBlock>();
    public DbSet<SignatureInvalidation> SignatureInvalidations => Set<SignatureInvalidation>();
    public DbSet<TrendingFinding> TrendingFindings => Set<TrendingFinding>();
    public DbSet<Features.Images.PetitionImage> PetitionImages => Set<Features.Images.PetitionImage>();
    public DbSet<PetitionTranslation> PetitionTranslations => Set<PetitionTranslation>();
    public DbSet<PetitionUpdateTranslation> PetitionUpdateTranslations => Set<PetitionUpdateTranslation>();

    /// <summary>The one database setup, shared by the site, the design-time factory and the tests.</summary>
    public static DbContextOptionsBuilder ConfigureOptions(DbContextOptionsBuilder options, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseNpgsql(dataSource, Npgsql).UseSnakeCaseNamingConvention();
    }

    public static DbContextOptionsBuilder ConfigureOptions(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseNpgsql(connectionString, Npgsql).UseSnakeCaseNamingConvention();
    }

    public static DbContextOptions<PetitionsDbContext> CreateOptions(string connectionString) =>
        (DbContextOptions<PetitionsDbContext>)ConfigureOptions(new DbContextOptionsBuilder<PetitionsDbContext>(), connectionString).Options;

    private static void Npgsql(NpgsqlDbContextOptionsBuilder npgsql) => npgsql.MigrationsHistoryTable(Infrastructure.MigrationsHistoryProbe.HistoryTable);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PetitionsDbContext).Assembly);

    }
}
