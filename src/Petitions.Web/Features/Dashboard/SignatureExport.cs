using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Dashboard;

/// <summary>
/// Streams a petition's confirmed signatures as CSV straight from a data reader to the response, a row at a time,
/// so memory stays flat however many there are. The email is included only for signers who agreed to share it.
/// </summary>
public sealed partial class SignatureExport(NpgsqlDataSource dataSource, ILogger<SignatureExport> logger)
{
    public static readonly string[] Header = ["Name", "Postcode or city", "Country", "Country code", "Signed at", "Reason", "Email"];

    private const int FlushEveryRows = 1000;

    // Ordered by the (petition_id, confirmed_at) index, so rows flow as soon as the query starts; the id breaks ties.
    private const string Sql = """
        SELECT full_name, postcode_or_city, country, confirmed_at, reason,
               CASE WHEN share_email_with_organizer THEN email END
        FROM signatures
        WHERE petition_id = $1 AND state = 'Confirmed'
        ORDER BY confirmed_at, id
        """;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] ByteOrderMark = Encoding.UTF8.GetPreamble();

    public static string FileName(string slug, DateTimeOffset now) =>
        $"{slug}-signatures-{now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        // A cell starting with =, +, -, @, tab or CR would run as a formula in a spreadsheet: it gets a leading '.
        InjectionOptions = InjectionOptions.Escape,
        InjectionEscapeCharacter = '\'',
        NewLine = "\r\n",
    };

    public IActionResult Result(long petitionId, string slug, DateTimeOffset now) => new CsvResult(this, petitionId, FileName(slug, now));

    /// <summary>Writes the CSV to <paramref name="body"/>; <paramref name="rows"/> counts the signatures written so far.</summary>
    public async Task WriteAsync(long petitionId, Stream body, StrongBox<int> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(rows);

        // Excel reads UTF-8 correctly only with the byte order mark.
        await body.WriteAsync(ByteOrderMark, cancellationToken);
        await using var text = new StreamWriter(body, Utf8NoBom, bufferSize: 16 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }

        await csv.NextRecordAsync();
        await csv.FlushAsync();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = petitionId });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Sequential access: every column is read once, in order.
            var name = reader.GetString(0);
            var place = reader.GetString(1);
            var country = reader.GetString(2);
            var signedAt = await reader.IsDBNullAsync(3, cancellationToken) ? (DateTime?)null : reader.GetFieldValue<DateTime>(3);
            var reason = await reader.IsDBNullAsync(4, cancellationToken) ? "" : reader.GetString(4);
            var email = await reader.IsDBNullAsync(5, cancellationToken) ? "" : reader.GetString(5);

            csv.WriteField(name);
            csv.WriteField(place);
            csv.WriteField(Countries.NameOf(country));
            csv.WriteField(country);
            csv.WriteField(signedAt is { } at ? at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "");
            csv.WriteField(reason);
            csv.WriteField(email);
            await csv.NextRecordAsync();
            rows.Value++;
            if (rows.Value % FlushEveryRows == 0)
            {
                await csv.FlushAsync();
            }
        }

        await csv.FlushAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {RowCount} signatures of petition {PetitionId}")]
    private partial void LogExported(long petitionId, int rowCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of petition {PetitionId} stopped after {RowCount} signatures: the client went away")]
    private partial void LogAborted(long petitionId, int rowCount);

    private sealed class CsvResult(SignatureExport export, long petitionId, string fileName) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var http = context.HttpContext;
            var response = http.Response;
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            response.Headers.CacheControl = "no-store";
            var rows = new StrongBox<int>();
            try
            {
                await export.WriteAsync(petitionId, response.Body, rows, http.RequestAborted);
            }
            catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or NpgsqlException)
            {
                export.LogAborted(petitionId, rows.Value);
                return;
            }

            export.LogExported(petitionId, rows.Value);
        }
    }
}
