namespace Petitions.Web.Data.Sql;

/// <summary>Hand-written statements on petition reports.</summary>
public static class ReportSql
{
    /// <summary>
    /// For ExecuteSqlRaw: {0} petition, {1} reason, {2} details, {3} email, {4} address, {5} now. One statement, so
    /// two reports from one address at once still make one open row (the unique partial index on petition and address).
    /// </summary>
    public const string Upsert =
        """
        INSERT INTO petition_reports (petition_id, reason, details, email, ip_address, created_at)
        VALUES ({0}, {1}, {2}, {3}, {4}, {5})
        ON CONFLICT (petition_id, ip_address) WHERE closed_at IS NULL
        DO UPDATE SET reason = excluded.reason, details = excluded.details, email = excluded.email, created_at = excluded.created_at
        """;
}
