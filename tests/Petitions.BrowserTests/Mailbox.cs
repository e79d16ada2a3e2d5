using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Petitions.BrowserTests;

/// <summary>One message as maildev parsed it. Header names are lower case, as maildev gives them.</summary>
public sealed record ReceivedEmail(
    string To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> AttachmentNames,
    string Id = "");

/// <summary>Reads what the site sent to the real SMTP server, through maildev's REST API.</summary>
public sealed class Mailbox(Uri maildevUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = maildevUrl, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Waits for the first message to <paramref name="address"/> (addresses are unique per test).</summary>
    public Task<ReceivedEmail> WaitForEmailToAsync(string address, TimeSpan timeout) =>
        WaitForEmailToAsync(address, _ => true, "any subject", timeout);

    /// <summary>
    /// Waits for the first message to <paramref name="address"/> whose subject is exactly <paramref name="subject"/>:
    /// an address that gets several emails in one journey (confirmation, updates, notices) is told apart by subject.
    /// </summary>
    public Task<ReceivedEmail> WaitForEmailToAsync(string address, string subject, TimeSpan timeout) =>
        WaitForEmailToAsync(address, m => string.Equals(m.Subject, subject, StringComparison.Ordinal), $"the subject \"{subject}\"", timeout);

    /// <summary>Waits for the first message to <paramref name="address"/> that <paramref name="match"/> accepts.</summary>
    public async Task<ReceivedEmail> WaitForEmailToAsync(string address, Func<ReceivedEmail, bool> match, string description, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = (await EmailsToAsync(address)).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (clock.Elapsed > timeout)
            {
                var subjects = string.Join(" | ", (await EmailsToAsync(address)).Select(m => m.Subject));
                throw new TimeoutException(
                    $"No email with {description} arrived at maildev for the test's address within {timeout.TotalSeconds:0} s. It got: [{subjects}]");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Every message maildev holds for <paramref name="address"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> EmailsToAsync(string address)
    {
        var messages = await http.GetFromJsonAsync<JsonElement>(new Uri("/email", UriKind.Relative));
        var found = new List<ReceivedEmail>();
        foreach (var message in messages.EnumerateArray())
        {
            if (!message.TryGetProperty("to", out var recipients) || recipients.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var to = recipients.EnumerateArray()
                .Select(t => StringOrEmpty(t, "address"))
                .FirstOrDefault(a => string.Equals(a, address, StringComparison.OrdinalIgnoreCase));
            if (to is not null)
            {
                found.Add(new ReceivedEmail(to, StringOrEmpty(message, "subject"), StringOrEmpty(message, "html"), StringOrEmpty(message, "text"),
                    Headers(message), AttachmentNames(message), StringOrEmpty(message, "id")));
            }
        }

        return found;
    }

    public void Dispose() => http.Dispose();

    // maildev leaves out, or sets to false, the parts a message does not have.
    private static string StringOrEmpty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static Dictionary<string, string> Headers(JsonElement message)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (message.TryGetProperty("headers", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in all.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.String => header.Value.GetString()!,
                    JsonValueKind.Array => string.Join(", ", header.Value.EnumerateArray().Select(v => v.ToString())),
                    _ => header.Value.ToString(),
                };
            }
        }

        return headers;
    }

    private static List<string> AttachmentNames(JsonElement message) =>
        message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            ? attachments.EnumerateArray().Select(a => StringOrEmpty(a, "fileName")).ToList()
            : [];
}
