using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Npgsql;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Hostile;

/// <summary>
/// Runs hostile requests against the app and collects what went wrong, so one test reports every failing case:
/// a 5xx, or a refusal (4xx) that still changed what the database holds.
/// </summary>
public sealed class Corpus(PetitionsAppFactory app)
{
    private const string Snapshot = """
        SELECT (SELECT count(*) FROM signatures), (SELECT count(*) FROM petitions), (SELECT count(*) FROM outbox_messages),
               (SELECT count(*) FROM petition_updates), (SELECT count(*) FROM petition_edits), (SELECT count(*) FROM recipient_responses),
               (SELECT count(*) FROM deliveries), (SELECT count(*) FROM decision_makers), (SELECT count(*) FROM "AspNetUsers")
        """;

    private readonly List<string> failures = [];

    public int Cases { get; private set; }

    /// <summary>
    /// For every field the form at <paramref name="pagePath"/> has (hidden ones and the antiforgery token too), posts the
    /// form with that field replaced by each hostile value; then with each field missing, doubled, and an unknown one.
    /// </summary>
    public async Task PostFormAsync(TestBrowser browser, string pagePath, string formSelector)
    {
        var page = await browser.GetAsync(pagePath);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {pagePath} answered {(int)page.Status}");
        var form = page.Form(formSelector);
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pagePath;
        var own = HtmlPage.FormFields(form).Select(f => (f.Key, Wire: HostileValues.Encode(f.Value))).ToList();
        var names = Names(form);
        Assert.NotEmpty(names);

        foreach (var name in names)
        {
            foreach (var (valueName, wire) in HostileValues.All)
            {
                var body = own.Where(f => f.Key != name).Append((name, wire));
                await PostAsync(browser, action, body, $"{action} {name}={valueName}");
            }

            await PostAsync(browser, action, own.Where(f => f.Key != name), $"{action} without {name}");
            await PostAsync(browser, action, own.Append((name, HostileValues.Encode("second value"))), $"{action} {name} twice");
        }

        await PostAsync(browser, action, own.Append(("Form.Unknown[999999999]", "x")), $"{action} unknown field");
        await CheckAsync($"{action} as JSON", () => browser.Client.PostAsync(Relative(action), new StringContent("{\"Email\":1}", Encoding.UTF8, "application/json")));
        await CheckAsync($"{action} as multipart", async () =>
        {
            using var multipart = new MultipartFormDataContent { { new StringContent("Ada\0Lovelace"), names[0] } };
            return await browser.Client.PostAsync(Relative(action), multipart);
        });
    }

    /// <summary>GETs <paramref name="pathTemplate"/> with "{v}" replaced by each hostile value.</summary>
    public async Task GetEachAsync(TestBrowser browser, string pathTemplate)
    {
        foreach (var (valueName, wire) in HostileValues.All)
        {
            var path = pathTemplate.Replace("{v}", wire, StringComparison.Ordinal);
            await CheckAsync($"GET {pathTemplate} v={valueName}", () => browser.Client.GetAsync(Relative(path)));
        }
    }

    /// <summary>Fails with every case that went wrong.</summary>
    public void AssertNoFailures() =>
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} hostile cases went wrong:\n{string.Join("\n", failures.Take(40))}");

    private Task PostAsync(TestBrowser browser, string action, IEnumerable<(string Key, string Wire)> fields, string label)
    {
        var body = string.Join('&', fields.Select(f => HostileValues.Encode(f.Key) + "=" + f.Wire));
        return CheckAsync(label, () => browser.Client.PostAsync(Relative(action), new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded")));
    }

    private async Task CheckAsync(string label, Func<Task<HttpResponseMessage>> send)
    {
        Cases++;
        var before = await SnapshotAsync();
        try
        {
            using var response = await send();
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{label}: {status}");
            }
            else if (status >= 400 && await SnapshotAsync() != before)
            {
                failures.Add($"{label}: refused with {status} but the database changed");
            }
        }
        catch (InvalidOperationException ex) when (ex.StackTrace?.Contains("PathString.FromUriComponent", StringComparison.Ordinal) == true)
        {
            // A NUL in the path never reaches the app: Kestrel's request-line decoder refuses it with 400, and the test
            // host's client uses the same decoder, so it throws here instead.
        }
        catch (HttpRequestException ex)
        {
            failures.Add($"{label}: {ex.Message.Split('\n').Take(3).Aggregate((x, y) => x + " " + y)}");
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Snapshot, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Join(',', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetInt64(i)));
    }

    private static List<string> Names(IHtmlFormElement form) =>
        form.Elements
            .Select(e => e switch
            {
                IHtmlInputElement input when input.Type is not ("submit" or "button" or "image" or "reset") => input.Name,
                IHtmlTextAreaElement area => area.Name,
                IHtmlSelectElement select => select.Name,
                _ => null,
            })
            .OfType<string>()
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static Uri Relative(string path) => new(path, UriKind.RelativeOrAbsolute);
}
