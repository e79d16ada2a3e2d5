using System.Data;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Npgsql;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// The signature list a recipient receives as CSV: every signature confirmed by the time of the delivery, with name,
/// postcode or city, country, signed-at and reason. Never email addresses. Supporters who chose not to be shown
/// publicly are included, because their signatures count. Rows stream from a data reader straight to the output.
/// </summary>
public sealed class SignatureListCsv(NpgsqlDataSource dataSource)
{
    public static readonly string[] Header = ["Name", "Postcode or city", "Country", "Signed at", "Reason"];

    private const int FlushEveryRows = 1000;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] ByteOrderMark = Encoding.UTF8.GetPreamble();

    private static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        // A cell starting with =, +, -, @, tab or CR would run as a formula in a spreadsheet: it gets a leading '.
        InjectionOptions = InjectionOptions.Escape,
        InjectionEscapeCharacter = '\'',
        NewLine = "\r\n",
    };

    public static string FileName(string slug) => $"{slug}-signatures.csv";

    /// <summary>Writes the list to <paramref name="output"/> and returns the number of signatures written.</summary>
    public async Task<int> WriteAsync(long petitionId, DateTimeOffset confirmedBy, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Excel reads UTF-8 correctly only with the byte order mark.
        await output.WriteAsync(ByteOrderMark, cancellationToken);
        await using var text = new StreamWriter(output, Utf8NoBom, bufferSize: 16 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }

        await csv.NextRecordAsync();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = SignatureRows.Command(connection, null, petitionId, confirmedBy);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = await SignatureRows.ReadAsync(reader, cancellationToken);
            csv.WriteField(row.Name);
            csv.WriteField(row.PostcodeOrCity);
            csv.WriteField(Countries.NameOf(row.Country));
            csv.WriteField(row.SignedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            csv.WriteField(row.Reason ?? "");
            await csv.NextRecordAsync();
            if (++rows % FlushEveryRows == 0)
            {
                await csv.FlushAsync();
            }
        }

        await csv.FlushAsync();
        return rows;
    }

    /// <summary>The whole list in memory, for the email attachment of a small list.</summary>
    public async Task<(byte[] Content, int Rows)> ToBytesAsync(long petitionId, DateTimeOffset confirmedBy, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var rows = await WriteAsync(petitionId, confirmedBy, buffer, cancellationToken);
        return (buffer.ToArray(), rows);
    }
}

public readonly record struct SignatureRow(string Name, string PostcodeOrCity, string Country, DateTimeOffset SignedAt, string? Reason);

/// <summary>The one query both the CSV and the PDF read from, so the two always list the same signatures.</summary>
public static class SignatureRows
{
    // Ordered by the (petition_id, confirmed_at) index, so rows flow as soon as the query starts; the id breaks ties.
    private const string Sql = """
        SELECT full_name, postcode_or_city, country, confirmed_at, reason
        FROM signatures
        WHERE petition_id = $1 AND state = 'Confirmed' AND confirmed_at <= $2
        ORDER BY confirmed_at, id
        """;

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, long petitionId, DateTimeOffset confirmedBy)
    {
        var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = petitionId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = confirmedBy.ToUniversalTime() });
        return command;
    }

    /// <summary>Reads the current row; with sequential access, every column once and in order.</summary>
    public static async Task<SignatureRow> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var name = reader.GetString(0);
        var place = reader.GetString(1);
        var country = reader.GetString(2);
        var signedAt = reader.GetFieldValue<DateTimeOffset>(3);
        var reason = await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4);
        return new SignatureRow(name, place, country, signedAt, string.IsNullOrWhiteSpace(reason) ? null : reason);
    }
}
