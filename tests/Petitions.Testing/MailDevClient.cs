using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;

namespace Petitions.Testing;

public sealed record MailDevAddress(string Address, string? Name);

/// <summary>One message as maildev received it over SMTP.</summary>
public sealed record MailDevMessage(
    string Id,
    string Subject,
    string? Html,
    string? Text,
    IReadOnlyList<MailDevAddress> From,
    IReadOnlyList<MailDevAddress> To,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The file names of the attachments, in order.</summary>
    public IReadOnlyList<string> AttachmentNames { get; init; } = [];

    /// <summary>The Message-Id header without its angle brackets.</summary>
    public string? MessageId => Headers.TryGetValue("message-id", out var id) ? id.Trim().Trim('<', '>') : null;

    public bool IsTo(string address) => To.Any(t => string.Equals(t.Address, address.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Every link in the message: the href of each anchor in the HTML part, and each URL in the text part.</summary>
    public IReadOnlyList<string> Links()
    {
        var links = new List<string>();
        if (Html is not null)
        {
            var document = new HtmlParser().ParseDocument(Html);
            links.AddRange(document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!));
        }

        if (Text is not null)
        {
            links.AddRange(MailDevClient.UrlPattern().Matches(Text).Select(m => m.Value));
        }

        return links.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The one distinct link whose path starts with <paramref name="pathPrefix"/>, such as "/s/confirm/".</summary>
    public string SingleLink(string pathPrefix)
    {
        var matches = Links()
            .Where(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) && uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal))
            .ToList();
        Assert.True(matches.Count == 1, $"Expected one link starting with {pathPrefix} in \"{Subject}\", found: {string.Join(", ", Links())}");
        return matches[0];
    }
}

/// <summary>Reads what the real SMTP server (maildev, started by ./test.sh) received, through its REST API.</summary>
public sealed partial class MailDevClient(Uri baseUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<IReadOnlyList<MailDevMessage>> ListAsync()
    {
        using var document = await JsonDocument.ParseAsync(await http.GetStreamAsync(new Uri("/email", UriKind.Relative)));
        return document.RootElement.EnumerateArray().Select(Parse).ToList();
    }

    public async Task<IReadOnlyList<MailDevMessage>> ListToAsync(string address) =>
        (await ListAsync()).Where(m => m.IsTo(address)).ToList();

    /// <summary>Waits for a message to <paramref name="toAddress"/> that matches <paramref name="predicate"/>; fails after the timeout.</summary>
    public async Task<MailDevMessage> WaitForEmailAsync(string toAddress, Func<MailDevMessage, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var found = await Eventually.ValueAsync(
            async () => (await ListToAsync(toAddress)).FirstOrDefault(m => predicate?.Invoke(m) ?? true),
            m => m is not null,
            timeout);
        Assert.True(found is not null, $"No email to {toAddress} matching the condition arrived in maildev.");
        return found;
    }

    /// <summary>Waits until <paramref name="count"/> messages to the address have arrived, and returns them.</summary>
    public async Task<IReadOnlyList<MailDevMessage>> WaitForEmailsAsync(string toAddress, int count, TimeSpan? timeout = null)
    {
        var found = await Eventually.ValueAsync(() => ListToAsync(toAddress), m => m.Count >= count, timeout);
        Assert.True(found.Count >= count, $"Expected {count} emails to {toAddress}, maildev has {found.Count}.");
        return found;
    }

    public async Task DeleteAllAsync()
    {
        using var response = await http.DeleteAsync(new Uri("/email/all", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();

    private static MailDevMessage Parse(JsonElement e) => new MailDevMessage(
        e.GetProperty("id").GetString()!,
        e.TryGetProperty("subject", out var subject) ? subject.GetString() ?? "" : "",
        e.TryGetProperty("html", out var html) && html.ValueKind == JsonValueKind.String ? html.GetString() : null,
        e.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null,
        Addresses(e, "from"),
        Addresses(e, "to"),
        Headers(e))
    {
        AttachmentNames = e.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            ? attachments.EnumerateArray().Select(a => a.TryGetProperty("fileName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "").ToList()
            : [],
    };

    private static List<MailDevAddress> Addresses(JsonElement e, string property) =>
        e.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => new MailDevAddress(
                a.GetProperty("address").GetString()!,
                a.TryGetProperty("name", out var name) ? name.GetString() : null)).ToList()
            : [];

    private static Dictionary<string, string> Headers(JsonElement e)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (e.TryGetProperty("headers", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in all.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind switch
                {
                    JsonValueKind.String => header.Value.GetString()!,
                    JsonValueKind.Array => string.Join(", ", header.Value.EnumerateArray().Select(v => v.ToString())),
                    _ => header.Value.GetRawText(),
                };
            }
        }

        return headers;
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    internal static partial Regex UrlPattern();
}
