using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Petitions.BrowserTests;

public sealed record ReceivedEmail(string To, string Subject, string Html, string Text);

/// <summary>Reads what the site sent to the real SMTP server, through maildev's REST API.</summary>
public sealed class Mailbox(Uri maildevUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = maildevUrl, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Waits for the first message to <paramref name="address"/> (addresses are unique per test).</summary>
    public async Task<ReceivedEmail> WaitForEmailToAsync(string address, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var messages = await http.GetFromJsonAsync<JsonElement>(new Uri("/email", UriKind.Relative));
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
                    return new ReceivedEmail(to, StringOrEmpty(message, "subject"), StringOrEmpty(message, "html"), StringOrEmpty(message, "text"));
                }
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"No email arrived at maildev for the test's address within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public void Dispose() => http.Dispose();

    // maildev leaves out, or sets to false, the parts a message does not have.
    private static string StringOrEmpty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
