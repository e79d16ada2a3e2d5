namespace Petitions.Web.Data.Sql;

/// <summary>What the background workers share.</summary>
public static class WorkerSql
{
    /// <summary>$1 the worker's lock key; held until the transaction ends.</summary>
    public const string TryLock = "SELECT pg_try_advisory_xact_lock($1)";
}
