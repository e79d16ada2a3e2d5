namespace Petitions.Web.Data.Sql;

/// <summary>What the background workers share.</summary>
public static class WorkerSql
{
    /// <summary>$1 the worker's lock key; held until the transaction ends.</summary>
    public const string TryLock = "SELECT pg_try_advisory_xact_lock($1)";

    /// <summary>$1 the lock key; waits for it, and holds it on the session until <see cref="Unlock"/>.</summary>
    public const string Lock = "SELECT pg_advisory_lock($1)";

    public const string Unlock = "SELECT pg_advisory_unlock($1)";
}

/// <summary>Every advisory-lock key the site takes, in one place so that no two jobs ever share one by accident.</summary>
public static class AdvisoryLocks
{
    public const long Counting = 7_210_001;
    public const long AdminAccount = 7_210_011;
    public const long Retention = 7_210_012;
    public const long Trending = 7_210_013;
    public const long SaltKeySealing = 7_210_014;

    /// <summary>The first half of a two-part key (this, the notification job's id), as SQL text: see PetitionSql.TryLockNotificationJob.</summary>
    public const string NotificationJobs = "7210020";
}
