using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Admin;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

public sealed class BlockForm
{
    public string? Kind { get; set; }
    public string? Value { get; set; }
    public string? Reason { get; set; }
}

public sealed record BlocksPage(IReadOnlyList<SigningBlock> Blocks, BlockForm Form);

/// <summary>The block lists: adding (normalized, so one range is stored once) and removing, each with its audit row.</summary>
public sealed class SigningBlocks(PetitionsDbContext db, AuditLog audit, TimeProvider clock)
{
    public Task<List<SigningBlock>> ListAsync(CancellationToken cancellationToken) =>
        db.SigningBlocks.AsNoTracking().OrderBy(b => b.Kind).ThenBy(b => b.Value).ToListAsync(cancellationToken);

    /// <summary>The canonical CIDR (a bare address is its own /32 or /128), or null when it is not one.</summary>
    public static string? NormalizeCidr(string? value)
    {
        var text = value?.Trim() ?? "";
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
        {
            text = $"{single}/{(single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}";
        }

        return IPNetwork.TryParse(text, out var network) ? network.ToString() : null;
    }

    /// <summary>Whether a block list stops a signer with this normalized address and IP address (see <see cref="SignatureSql.BlockedSigner"/>).</summary>
    public static async Task<bool> StopsAsync(NpgsqlDataSource dataSource, string normalizedEmail, string? ipAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(SignatureSql.BlockedSigner).With(normalizedEmail).WithText(ipAddress);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public static string? NormalizeDomain(string? value)
    {
        var text = (value?.Trim() ?? "").TrimStart('@').TrimEnd('.').ToLowerInvariant();
        return text.Length is > 0 and <= 253 && text.Contains('.', StringComparison.Ordinal)
            && Uri.CheckHostName(text) == UriHostNameType.Dns ? text : null;
    }

    public async Task AddAsync(BlockKind kind, string value, string? reason, ClaimsPrincipal admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var actorId = admin.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!await db.SigningBlocks.AnyAsync(b => b.Kind == kind && b.Value == value, cancellationToken))
        {
            db.SigningBlocks.Add(new SigningBlock { Kind = kind, Value = value, Reason = reason, CreatedAt = clock.GetUtcNow(), CreatedById = actorId });
        }

        await audit.WriteAsync(actorId, AuditAction.AddBlock, AuditTarget.Block, $"{kind}:{value}", null, reason, cancellationToken);
    }

    public async Task<bool> RemoveAsync(long id, ClaimsPrincipal admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var block = await db.SigningBlocks.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (block is null)
        {
            return false;
        }

        db.SigningBlocks.Remove(block);
        await audit.WriteAsync(admin.FindFirstValue(ClaimTypes.NameIdentifier), AuditAction.RemoveBlock, AuditTarget.Block, $"{block.Kind}:{block.Value}", null, null, cancellationToken);
        return true;
    }
}

[Authorize(Policy = AdminRoles.AdminPolicy)]
public sealed class BlocksController(SigningBlocks blocks, Texts t) : Controller
{
    [HttpGet("/admin/blocks")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View("Blocks", new BlocksPage(await blocks.ListAsync(cancellationToken), new BlockForm()));

    [HttpPost("/admin/blocks")]
    public async Task<IActionResult> Add([Bind(Prefix = "Form")] BlockForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ModelState.Clear();
        var kind = form.Kind == nameof(BlockKind.Domain) ? BlockKind.Domain : form.Kind == nameof(BlockKind.Ip) ? BlockKind.Ip : (BlockKind?)null;
        string? value = null;
        if (kind is null)
        {
            ModelState.AddModelError("Form.Kind", t["Choose what to block"]);
        }
        else
        {
            value = kind == BlockKind.Ip ? SigningBlocks.NormalizeCidr(form.Value) : SigningBlocks.NormalizeDomain(form.Value);
            if (value is null)
            {
                ModelState.AddModelError("Form.Value", kind == BlockKind.Ip
                    ? t["Enter an IP address or CIDR range, like {0} or {1}", "192.0.2.0/24", "2001:db8::/32"]
                    : t["Enter an email domain, like {0}", "example.com"]);
            }
        }

        if (string.IsNullOrWhiteSpace(form.Reason))
        {
            ModelState.AddModelError("Form.Reason", t["Say why this is blocked"]);
        }
        else if (form.Reason.Length > SigningPause.MaxReasonLength || form.Reason.Contains('\0', StringComparison.Ordinal))
        {
            ModelState.AddModelError("Form.Reason", t["The reason must be {0} characters or fewer", SigningPause.MaxReasonLength]);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Blocks", new BlocksPage(await blocks.ListAsync(cancellationToken), form));
        }

        await blocks.AddAsync(kind!.Value, value!, form.Reason!.Trim(), User, cancellationToken);
        return Redirect("/admin/blocks");
    }

    [HttpPost("/admin/blocks/{id:long}/remove")]
    public async Task<IActionResult> Remove(long id, CancellationToken cancellationToken) =>
        await blocks.RemoveAsync(id, User, cancellationToken) ? Redirect("/admin/blocks") : NotFound();
}
