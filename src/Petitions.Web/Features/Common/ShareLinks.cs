namespace Petitions.Web.Features.Common;

/// <param name="Message">The words shared with the link, in the page's language.</param>
public sealed record ShareLinks(string Url, string Title, string? Message = null)
{
    private string Text => Message ?? $"Sign the petition: {Title}";

    public string Email => $"mailto:?subject={Uri.EscapeDataString(Title)}&body={Uri.EscapeDataString(Text + "\n" + Url)}";
    public string WhatsApp => $"https://wa.me/?text={Uri.EscapeDataString(Text + " " + Url)}";
    public string X => $"https://x.com/intent/post?text={Uri.EscapeDataString(Text)}&url={Uri.EscapeDataString(Url)}";
    public string Facebook => $"https://www.facebook.com/sharer/sharer.php?u={Uri.EscapeDataString(Url)}";
}
