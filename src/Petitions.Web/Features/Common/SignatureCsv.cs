using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Common;

/// <summary>The columns of a signature list: emails go only to the organizer, and only where the supporter agreed.</summary>
public enum SignatureColumns
{
    /// <summary>What decision makers receive: name, postcode or city, country, signed at and reason. Never emails.</summary>
    Recipient,

    /// <summary>Adds the country code, and the email of supporters who agreed to share it with the organizer.</summary>
    Organizer,
}

/// <summary>
/// A petition's confirmed signatures as CSV, streamed from a data reader to the output a row at a time, so memory
/// stays flat however many there are. Supporters who chose not to be shown publicly are included: their signatures count.
/// </summary>
public sealed class SignatureCsv(NpgsqlDataSource dataSource)
{
    private static readonly string[] RecipientHeader = ["Name", "Postcode or city", "Country", "Signed at", "Reason"];
    private static readonly string[] OrganizerHeader = ["Name", "Postcode or city", "Country", "Country code", "Signed at", "Reason", "Email"];

    // Each write to the response body becomes one HTTP chunk and one flush, so rows are sent in pieces of this size:
    // large enough that a million rows take about a thousand writes, small enough that memory stays flat.
    private const int WriteAtBytes = 64 * 1024;

    /// <summary>The recipient's list: undated, as it holds one delivery and never changes.</summary>
    public static string FileName(string slug) => $"{slug}-signatures.csv";

    /// <summary>The organizer's export, dated because they may download it again as signatures come in.</summary>
    public static string FileName(string slug, DateTimeOffset now) =>
        $"{slug}-signatures-{now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>
    /// Writes the signatures confirmed by <paramref name="confirmedBy"/> (all of them when null) to
    /// <paramref name="output"/>; <paramref name="rows"/> counts those written so far.
    /// </summary>
    public async Task WriteAsync(long petitionId, DateTimeOffset? confirmedBy, SignatureColumns columns, Stream output, StrongBox<int> rows,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var organizer = columns == SignatureColumns.Organizer;

        using var csv = new CsvUtf8Writer(WriteAtBytes * 2);
        // Excel reads UTF-8 correctly only with the byte order mark.
        csv.ByteOrderMark();
        foreach (var name in organizer ? OrganizerHeader : RecipientHeader)
        {
            csv.Field(name);
        }

        csv.EndRecord();
        await csv.WriteToAsync(output, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = SignatureRows.Command(connection, null, petitionId, confirmedBy, withEmails: organizer);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            WriteRow(csv, SignatureRows.Read(reader), organizer);
            rows.Value++;
            if (csv.Length >= WriteAtBytes)
            {
                await csv.WriteToAsync(output, cancellationToken);
            }
        }

        await csv.WriteToAsync(output, cancellationToken);
    }

    // An export runs rarely, so its code is usually still unoptimized (tier 0) when a million rows go through it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteRow(CsvUtf8Writer csv, in SignatureRow row, bool organizer)
    {
        csv.Field(row.Name);
        csv.Field(row.PostcodeOrCity);
        csv.Field(Countries.NameOf(row.Country));
        if (organizer)
        {
            csv.Field(row.Country);
        }

        csv.Timestamp(row.SignedAt);
        csv.Field(row.Reason);
        if (organizer)
        {
            csv.Field(row.Email);
        }

        csv.EndRecord();
    }

    /// <summary>The recipient's whole list in memory, for the email attachment of a small list.</summary>
    public async Task<byte[]> ToBytesAsync(long petitionId, DateTimeOffset confirmedBy, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await WriteAsync(petitionId, confirmedBy, SignatureColumns.Recipient, buffer, new StrongBox<int>(), cancellationToken);
        return buffer.ToArray();
    }
}

/// <summary>
/// CSV records encoded straight to UTF-8 in a pooled buffer. The bytes are those CsvHelper writes for the invariant
/// culture with "\r\n" line ends and formula injection escaped with ' (the tests compare the two), without its
/// per-field strings, delegate calls and per-row writes to a TextWriter.
/// </summary>
internal sealed class CsvUtf8Writer(int capacity) : IDisposable
{
    private static readonly SearchValues<char> QuoteOrComma = SearchValues.Create("\",");

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
    private bool fieldWritten;

    /// <summary>Bytes waiting to be written.</summary>
    public int Length { get; private set; }

    public void ByteOrderMark()
    {
        Ensure(3);
        "\uFEFF"u8.CopyTo(buffer.AsSpan(Length));
        Length += 3;
    }

    /// <summary>
    /// A field: quoted when it holds a quote or comma, starts or ends with a space, or holds a CRLF; a field that
    /// starts with =, @, +, -, tab or CR would run as a formula in a spreadsheet, so it is quoted with a leading '.
    /// An empty or null field is written as nothing.
    /// </summary>
    public void Field(string? value)
    {
        Delimit();
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var text = value.AsSpan();
        var formula = text[0] is '=' or '@' or '+' or '-' or '\t' or '\r';
        if (!formula && text[0] != ' ' && text[^1] != ' ' && !text.ContainsAny(QuoteOrComma) && !text.Contains("\r\n", StringComparison.Ordinal))
        {
            Utf8(text);
            return;
        }

        Ascii('"');
        if (formula)
        {
            Ascii('\'');
        }

        int quote;
        while ((quote = text.IndexOf('"')) >= 0)
        {
            Utf8(text[..(quote + 1)]);
            Ascii('"');
            text = text[(quote + 1)..];
        }

        Utf8(text);
        Ascii('"');
    }

    /// <summary>A UTC timestamp as 2026-03-01T09:30:00Z, or an empty field.</summary>
    public void Timestamp(DateTimeOffset? value)
    {
        Delimit();
        if (value is { } at)
        {
            Ensure(32);
            // "s" is the invariant, sortable yyyy-MM-ddTHH:mm:ss, formatted without parsing a pattern.
            at.UtcDateTime.TryFormat(buffer.AsSpan(Length), out var written, "s", CultureInfo.InvariantCulture);
            Length += written;
            buffer[Length++] = (byte)'Z';
        }
    }

    public void EndRecord()
    {
        Ensure(2);
        buffer[Length++] = (byte)'\r';
        buffer[Length++] = (byte)'\n';
        fieldWritten = false;
    }

    /// <summary>Writes what is buffered to <paramref name="output"/> and empties the buffer.</summary>
    public async ValueTask WriteToAsync(Stream output, CancellationToken cancellationToken)
    {
        if (Length > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, Length), cancellationToken);
            Length = 0;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void Delimit()
    {
        if (fieldWritten)
        {
            Ascii(',');
        }

        fieldWritten = true;
    }

    private void Ascii(char c)
    {
        Ensure(1);
        buffer[Length++] = (byte)c;
    }

    private void Utf8(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, buffer.AsSpan(Length));
    }

    private void Ensure(int bytes)
    {
        if (Length + bytes > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, Length + bytes));
            buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}

/// <summary>
/// Sends a signature list as a CSV download, then tells <paramref name="sent"/> the number of rows, or
/// <paramref name="abandoned"/> the number sent before the client went away, which is not an error.
/// </summary>
public sealed class SignatureCsvResult(
    SignatureCsv csv,
    long petitionId,
    DateTimeOffset? confirmedBy,
    SignatureColumns columns,
    string fileName,
    Action<int> sent,
    Action<int> abandoned) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var response = http.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var rows = new StrongBox<int>();
        try
        {
            await csv.WriteAsync(petitionId, confirmedBy, columns, response.Body, rows, http.RequestAborted);
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or NpgsqlException)
        {
            abandoned(rows.Value);
            return;
        }

        sent(rows.Value);
    }
}

public readonly record struct SignatureRow(string Name, string PostcodeOrCity, string Country, DateTimeOffset? SignedAt, string? Reason, string? Email);

/// <summary>
/// The one query the CSV lists and the recipient's PDF read from, so they always list the same signatures. The email
/// column is selected only when asked for, so no other list can carry one by mistake.
/// </summary>
public static class SignatureRows
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, long petitionId, DateTimeOffset? confirmedBy,
        bool withEmails = false)
    {
        // The id breaks ties. No index serves this order, so PostgreSQL sorts the rows before it sends the first.
        var sql = $"""
            SELECT full_name, postcode_or_city, country, confirmed_at, reason{(withEmails ? ", CASE WHEN share_email_with_organizer THEN email END" : "")}
            FROM signatures
            WHERE petition_id = $1 AND state = 'Confirmed'{(confirmedBy is null ? "" : " AND confirmed_at <= $2")}
            ORDER BY confirmed_at, id
            """;
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = petitionId });
        if (confirmedBy is { } by)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = by.ToUniversalTime() });
        }

        return command;
    }

    /// <summary>
    /// Reads the current row. The reader must not use sequential access: a row of this list is small, so Npgsql holds
    /// it whole once ReadAsync returns and these reads never wait for the network.
    /// </summary>
    public static SignatureRow Read(NpgsqlDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var name = reader.GetString(0);
        var place = reader.GetString(1);
        var country = reader.GetString(2);
        var signedAt = reader.IsDBNull(3) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(3);
        var reason = reader.IsDBNull(4) ? null : reader.GetString(4);
        var email = reader.FieldCount > 5 && !reader.IsDBNull(5) ? reader.GetString(5) : null;
        return new SignatureRow(name, place, country, signedAt, string.IsNullOrWhiteSpace(reason) ? null : reason, email);
    }
}
