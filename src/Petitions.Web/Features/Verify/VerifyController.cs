using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Verify;

/// <summary>The published root, count and date of one delivery.</summary>
public sealed record PublishedDelivery(string Slug, long DeliveryId, string PetitionTitle, byte[] Root, int Count, DateTimeOffset DeliveredAt)
{
    public string RootHex => Convert.ToHexStringLower(Root);
}

public enum VerifyOutcome
{
    None,
    Valid,
    ProofFails,
    NotThisDelivery,
    UnknownDelivery,
}

public sealed class VerifyPage
{
    public string? Receipt { get; set; }

    public VerifyOutcome Outcome { get; set; }

    public MerkleReceipt? Checked { get; set; }

    public PublishedDelivery? Published { get; set; }
}

/// <summary>"Verify my signature": checks a receipt against the published root, in the browser and, without JavaScript, here.</summary>
public sealed class VerifyController(NpgsqlDataSource dataSource, Texts texts) : Controller
{
    public const int MaxReceipt = 16_000;
    public const string ViewName = "Verify";

    [HttpGet("/verify")]
    [HttpGet("/p/{slug}/verify")]
    public IActionResult Index() => View(ViewName, new VerifyPage());

    /// <summary>The published root and count of a delivery, for the page's script.</summary>
    [HttpGet("/verify/published")]
    public async Task<IActionResult> Published(string? petition, string? delivery, CancellationToken cancellationToken)
    {
        var found = await FindAsync(petition, delivery, cancellationToken);
        return found is null
            ? NotFound()
            : Json(new { root = found.RootHex, treeSize = found.Count, deliveredAt = found.DeliveredAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
    }

    [HttpPost("/verify")]
    [HttpPost("/p/{slug}/verify")]
    [RequestSizeLimit(64 * 1024)]
    public async Task<IActionResult> Check([FromForm] string? receipt, CancellationToken cancellationToken)
    {
        var page = new VerifyPage { Receipt = receipt };
        ModelState.Clear();
        var text = receipt?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Invalid(page, texts["Paste the receipt or the whole receipt link from your email"]);
        }

        if (text.Length > MaxReceipt)
        {
            return Invalid(page, texts["This is too long to be a receipt. Paste only the receipt link from your email"]);
        }

        MerkleReceipt parsed;
        try
        {
            parsed = Parse(text);
        }
        catch (FormatException)
        {
            return Invalid(page, texts["This is not a complete receipt. Copy the whole receipt link from your email, from https to the end"]);
        }

        page.Checked = parsed;
        page.Published = await FindAsync(parsed.Petition, parsed.Delivery, cancellationToken);
        page.Outcome = page.Published is not { } published
            ? VerifyOutcome.UnknownDelivery
            : parsed.Verify(published.Root, published.Count) switch
            {
                ReceiptCheck.Valid => VerifyOutcome.Valid,
                ReceiptCheck.NotThisDelivery => VerifyOutcome.NotThisDelivery,
                _ => VerifyOutcome.ProofFails,
            };
        NoStore();
        return View(ViewName, page);
    }

    /// <summary>A receipt link (…#receipt=…), its compact part, or the JSON form, as verify-receipt.js accepts.</summary>
    public static MerkleReceipt Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            return MerkleReceipt.FromJson(text);
        }

        var fragment = text[(text.LastIndexOf('#') + 1)..];
        var compact = fragment[(fragment.LastIndexOf('=') + 1)..];
        return compact.Length == 0 ? throw new FormatException("The receipt is empty.") : MerkleReceipt.FromCompact(compact);
    }

    private async Task<PublishedDelivery?> FindAsync(string? slug, string? delivery, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length > 200 || !long.TryParse(delivery, NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(ReceiptSql.Published).With(slug).With(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PublishedDelivery(slug, deliveryId, reader.GetString(3), reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    private ViewResult Invalid(VerifyPage page, string message)
    {
        ModelState.AddModelError("Receipt", message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        NoStore();
        return View(ViewName, page);
    }

    // The receipt holds the signer's name: keep the answer out of shared caches.
    private void NoStore() => Response.Headers.CacheControl = "no-store";
}
