using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
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
public sealed class SignatureCsv(NpgsqlDataSource dataSource, ProtectedFields protectedFields)
{
    private static readonly string[] RecipientHeader = ["Name", "Postcode or city", "Country", "Signed at", "Reason"];
    private static readonly string[] OrganizerHeader = ["Name", "Postcode or city", "Country", "Country code", "Signed at", "Reason", "Email"];

    // Each write to the response body becomes one HTTP chunk and one flush, so rows are sent in pieces of this size:
    // large enough that a million rows take about a thousand writes, small enough that memory stays flat.
    private const int WriteAtBytes = 64 * 1024;
    private const int CheckEveryRows = 200;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] ByteOrderMark = Encoding.UTF8.GetPreamble();

    private static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        // A cell starting with =, +, -, @, tab or CR would run as a formula in a spreadsheet: it gets a leading '.
        InjectionOptions = InjectionOptions.Escape,
        InjectionEscapeCharacter = '\'',
        NewLine = "\r\n",
    };

    /// <summary>The recipient's list: undated, as it holds one delivery and never changes.</summary>
    public static string FileName(string slug) => $"{slug}-signatures.csv";

    /// <summary>The organizer's export, dated because they may download it again as signatures come in.</summary>
    public static string FileName(string slug, DateTimeOffset now) =>
        $"{slug}-signatures-{now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>
    /// Writes the signatures confirmed by <paramref name="confirmedBy"/> (all of them when null) to
    /// <paramref name="output"/>; <paramref name="rows"/> counts those written so far. <paramref name="fullListReleased"/>:
    /// the organizer released the full list of this delivery, so a recipient's list of a petition delivered as initials only holds the names.
    /// </summary>
    public async Task WriteAsync(long petitionId, DateTimeOffset? confirmedBy, SignatureColumns columns, Stream output, StrongBox<int> rows,
        CancellationToken cancellationToken, IReadOnlyList<string>? header = null, bool fullListReleased = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var organizer = columns == SignatureColumns.Organizer;

        // CsvHelper writes synchronously, so it writes into this piece of memory, which goes out asynchronously.
        using var chunk = new MemoryStream(WriteAtBytes * 2);
        // Excel reads UTF-8 correctly only with the byte order mark.
        chunk.Write(ByteOrderMark);
        await using var text = new StreamWriter(chunk, Utf8NoBom, bufferSize: 16 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        // A delivery's list has its headings in the delivery's language.
        foreach (var name in header ?? (organizer ? OrganizerHeader : RecipientHeader))
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        csv.Flush();
        await SendAsync(chunk, output, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var view = await SignatureListView.LoadAsync(protectedFields, connection, null, petitionId, recipient: !organizer, cancellationToken, fullListReleased);
        await using var command = SignatureRows.Command(connection, null, petitionId, confirmedBy, withEmails: organizer);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            WriteRow(csv, SignatureRows.Read(reader, view), organizer);
            if (++rows.Value % CheckEveryRows == 0)
            {
                csv.Flush();
                if (chunk.Length >= WriteAtBytes)
                {
                    await SendAsync(chunk, output, cancellationToken);
                }
            }
        }

        csv.Flush();
        await SendAsync(chunk, output, cancellationToken);
    }

    private static async Task SendAsync(MemoryStream chunk, Stream output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length), cancellationToken);
        chunk.SetLength(0);
    }

    // An export runs rarely, so its code is usually still unoptimized (tier 0) when a million rows go through it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteRow(CsvWriter csv, in SignatureRow row, bool organizer)
    {
        csv.WriteField(row.Name);
        csv.WriteField(row.PostcodeOrCity);
        csv.WriteField(Countries.NameOf(row.Country));
        if (organizer)
        {
            csv.WriteField(row.Country);
        }

        csv.WriteField(row.SignedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(row.Reason ?? "");
        if (organizer)
        {
            csv.WriteField(row.Email ?? "");
        }

        csv.NextRecord();
    }

    /// <summary>The recipient's whole list in memory, for the email attachment of a small list.</summary>
    public async Task<byte[]> ToBytesAsync(long petitionId, DateTimeOffset confirmedBy, CancellationToken cancellationToken, IReadOnlyList<string>? header = null)
    {
        using var buffer = new MemoryStream();
        await WriteAsync(petitionId, confirmedBy, SignatureColumns.Recipient, buffer, new StrongBox<int>(), cancellationToken, header);
        return buffer.ToArray();
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
    Action<int> abandoned,
    IReadOnlyList<string>? header = null,
    bool fullListReleased = false) : IActionResult
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
            await csv.WriteAsync(petitionId, confirmedBy, columns, response.Body, rows, http.RequestAborted, header, fullListReleased);
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
    // normalized_email (column 5) says how a protected row's fields were sealed; the email, when asked for, is column 6.
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, long petitionId, DateTimeOffset? confirmedBy,
        bool withEmails = false) =>
        Build($"full_name, postcode_or_city, country, confirmed_at, reason, normalized_email{(withEmails ? ", CASE WHEN share_email_with_organizer THEN email END" : "")}",
            connection, transaction, petitionId, confirmedBy);

    /// <summary>Only the reasons of the rows <see cref="Command"/> gives, in the same order: what the PDF needs to count its pages.</summary>
    public static NpgsqlCommand ReasonsCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, long petitionId, DateTimeOffset? confirmedBy) =>
        Build("reason, normalized_email", connection, transaction, petitionId, confirmedBy);

    /// <summary>
    /// Reads the current row, in the clear, as <paramref name="view"/> lists it. The reader must not use sequential access:
    /// a row of this list is small, so Npgsql holds it whole once ReadAsync returns and these reads never wait for the network.
    /// </summary>
    public static SignatureRow Read(NpgsqlDataReader reader, SignatureListView view)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(view);
        var name = reader.GetString(0);
        var place = reader.GetString(1);
        var country = reader.GetString(2);
        var signedAt = reader.IsDBNull(3) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(3);
        var reason = reader.IsDBNull(4) ? null : reader.GetString(4);
        var email = reader.FieldCount > 6 && !reader.IsDBNull(6) ? reader.GetString(6) : null;
        if (view.Protected)
        {
            var open = view.Fields.Open(true, view.PetitionId, reader.GetString(5), name, email ?? "", place, reason);
            if (view.InitialsOnly)
            {
                return new SignatureRow(ProtectedFields.Initials(open.FullName), "", country, signedAt, null, null);
            }

            (name, place, reason, email) = (open.FullName, open.PostcodeOrCity, open.Reason, email is null ? null : open.Email);
        }

        return new SignatureRow(name, place, country, signedAt, string.IsNullOrWhiteSpace(reason) ? null : reason, email);
    }

    /// <summary>The reason of a <see cref="ReasonsCommand"/> row in the clear, or null when there is none, it is blank or the list leaves it out.</summary>
    public static string? ReadReason(NpgsqlDataReader reader, SignatureListView view)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(view);
        var reason = reader.IsDBNull(0) ? null : reader.GetString(0);
        if (view.Protected && reason is not null)
        {
            reason = view.InitialsOnly ? null : view.Fields.Open(true, view.PetitionId, reader.GetString(1), "", "", "", reason).Reason;
        }

        return string.IsNullOrWhiteSpace(reason) ? null : reason;
    }

    private static NpgsqlCommand Build(string columns, NpgsqlConnection connection, NpgsqlTransaction? transaction, long petitionId,
        DateTimeOffset? confirmedBy)
    {
        var command = new NpgsqlCommand(SignatureSql.List(columns, confirmedBy is not null), connection, transaction).With(petitionId);
        if (confirmedBy is { } by)
        {
            command.WithTimestamp(by);
        }

        return command;
    }
}

/// <summary>
/// How a list reads one petition's signatures: protected rows are decrypted, and a recipient's list of a petition
/// delivered as initials only carries initials and country, until the organizer releases that delivery's full list.
/// </summary>
public sealed record SignatureListView(ProtectedFields Fields, long PetitionId, bool Protected, bool InitialsOnly)
{
    public static async Task<SignatureListView> LoadAsync(ProtectedFields fields, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long petitionId, bool recipient, CancellationToken cancellationToken, bool fullListReleased = false)
    {
        await using var command = new NpgsqlCommand(PetitionSql.Protection, connection, transaction).With(petitionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (isProtected, initialsOnly) = await reader.ReadAsync(cancellationToken) ? (reader.GetBoolean(0), reader.GetBoolean(1)) : (false, false);
        return new SignatureListView(fields, petitionId, isProtected, isProtected && recipient && initialsOnly && !fullListReleased);
    }
}
