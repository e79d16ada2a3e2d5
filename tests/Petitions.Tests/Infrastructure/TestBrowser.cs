using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Petitions.Tests.Infrastructure;

/// <summary>
/// An HttpClient used like a browser without JavaScript: it keeps cookies (the antiforgery cookie among them),
/// parses each HTML response with AngleSharp, and posts forms with the token the page rendered. Like every current
/// browser, it sends Origin and Sec-Fetch-Site with each POST (the site's own origin, since its forms post to it);
/// set <see cref="SendsFetchMetadata"/> to false to act as an old browser that sends neither.
/// </summary>
public sealed class TestBrowser : IDisposable
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public TestBrowser(HttpClient client)
    {
        Client = client;
        SendsFetchMetadata = true;
    }

    public HttpClient Client { get; }

    /// <summary>Whether every request (also those sent through <see cref="Client"/> directly) carries Origin and Sec-Fetch-Site: same-origin.</summary>
    public bool SendsFetchMetadata
    {
        get => Client.DefaultRequestHeaders.Contains("Sec-Fetch-Site");
        set
        {
            Client.DefaultRequestHeaders.Remove("Origin");
            Client.DefaultRequestHeaders.Remove("Sec-Fetch-Site");
            if (value && Client.BaseAddress is { } site)
            {
                Client.DefaultRequestHeaders.Add("Origin", site.GetLeftPart(UriPartial.Authority));
                Client.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin");
            }
        }
    }

    public async Task<HtmlPage> GetAsync(string url)
    {
        using var response = await Client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        return await HtmlPage.ReadAsync(response);
    }

    public async Task<HtmlPage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await PostAsync(url, content);
    }

    public async Task<HtmlPage> PostAsync(string url, HttpContent content)
    {
        using var response = await Client.PostAsync(new Uri(url, UriKind.RelativeOrAbsolute), content);
        return await HtmlPage.ReadAsync(response);
    }

    /// <summary>
    /// Submits a form the way a browser would: its own fields (including the antiforgery token) with
    /// <paramref name="fields"/> replacing the values of the same names.
    /// </summary>
    public Task<HtmlPage> SubmitAsync(IHtmlFormElement form, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(form);
        var given = fields.ToList();
        var names = given.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var own = HtmlPage.FormFields(form).Where(f => !names.Contains(f.Key));
        var action = form.GetAttribute("action") ?? "";
        return PostAsync(action, own.Concat(given));
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>A response with its HTML parsed.</summary>
public sealed class HtmlPage
{
    private HtmlPage(HttpStatusCode status, Uri? location, IReadOnlyDictionary<string, string> headers, string html, IHtmlDocument document)
    {
        Status = status;
        Location = location;
        Headers = headers;
        Html = html;
        Document = document;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The redirect target, for 3xx responses.</summary>
    public Uri? Location { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Html { get; }

    public IHtmlDocument Document { get; }

    public string Title => Document.Title ?? "";

    public static async Task<HtmlPage> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var html = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var document = await new HtmlParser().ParseDocumentAsync(html);
        return new HtmlPage(response.StatusCode, response.Headers.Location, headers, html, document);
    }

    public IElement? Find(string selector) => Document.QuerySelector(selector);

    public IElement One(string selector)
    {
        var matches = Document.QuerySelectorAll(selector);
        Assert.True(matches.Length == 1, $"Expected one element matching '{selector}', found {matches.Length}. Page title: {Title}");
        return matches[0];
    }

    public IReadOnlyList<IElement> All(string selector) => Document.QuerySelectorAll(selector).ToList();

    /// <summary>The element's text with runs of whitespace collapsed, as a reader sees it.</summary>
    public string Text(string selector) => Normalize(One(selector).TextContent);

    public IHtmlFormElement Form(string selector = "form") =>
        One(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"'{selector}' is not a form");

    public string AntiforgeryToken(string formSelector = "form[method=post]")
    {
        var token = Form(formSelector).QuerySelector($"input[name={TestBrowser.AntiforgeryField}]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"The form '{formSelector}' has no antiforgery token.");
        return token;
    }

    public string? Meta(string nameOrProperty) =>
        (Document.QuerySelector($"meta[property='{nameOrProperty}']") ?? Document.QuerySelector($"meta[name='{nameOrProperty}']"))
            ?.GetAttribute("content");

    public static string Normalize(string text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The name/value pairs a browser would send for the form's current state.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FormFields(IHtmlFormElement form)
    {
        ArgumentNullException.ThrowIfNull(form);
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button" or "image" or "reset"):
                    if (input.Type is "checkbox" or "radio" && !input.IsChecked)
                    {
                        break;
                    }

                    yield return new(input.Name, input.Value);
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    yield return new(textArea.Name, textArea.Value);
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    yield return new(select.Name, select.Value ?? "");
                    break;
            }
        }
    }
}
