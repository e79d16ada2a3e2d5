using Npgsql;

namespace Petitions.Testing;

/// <summary>
/// Inserts many signatures in one statement, as no user could: row <c>i</c> (1 to the count) takes each column from
/// a SQL expression over <c>i</c>. In the expressions <c>$1</c> is the petition's id, <c>$2</c> the count, and
/// <c>$3</c> onwards the extra parameters given to <see cref="InsertAsync"/>. The defaults make confirmed signers
/// "Signer 1" to "Signer N" who confirmed a second apart.
/// </summary>
public sealed record BulkSignatures
{
    public string FullName { get; init; } = "'Signer ' || i";

    /// <summary>The address, also stored as the normalized one; it must be unique on the petition.</summary>
    public string Email { get; init; } = "'signer' || i || '@bulk.example.test'";

    public string Country { get; init; } = "'GB'";

    public string PostcodeOrCity { get; init; } = "'Town ' || i";

    public string Reason { get; init; } = "NULL";

    public string ShowPublicly { get; init; } = "true";

    public string ShareEmailWithOrganizer { get; init; } = "false";

    public string CreatedAt { get; init; } = "now() - make_interval(secs => $2 - i + 1)";

    public string ConfirmedAt { get; init; } = "now() - make_interval(secs => $2 - i + 1)";

    /// <summary>Text whose SHA-256 is the row's confirmation token hash, so it must differ between rows and batches.</summary>
    public string TokenSeed { get; init; } = "'bulk-' || $1 || '-' || i";

    public async Task InsertAsync(string connectionString, long petitionId, int count, params NpgsqlParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason, show_publicly,
                email_updates, share_email_with_organizer, state, confirmation_token_hash, created_at, confirmed_at)
            SELECT $1, {FullName}, {Email}, {Email}, {Country}, {PostcodeOrCity}, {Reason}, {ShowPublicly},
                false, {ShareEmailWithOrganizer}, 'Confirmed', sha256(({TokenSeed})::bytea), {CreatedAt}, {ConfirmedAt}
            FROM generate_series(1, $2) AS i
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = petitionId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        command.Parameters.AddRange(parameters);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }
}
