using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Withdrawal;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.MySignatures;

/// <summary>One signature as /my shows and exports it: everything we hold about it.</summary>
public sealed record HeldSignature(
    long Id, string PetitionTitle, string PetitionSlug, string FullName, string Email, string Country, string PostcodeOrCity,
    string? Reason, bool ShowPublicly, bool EmailUpdates, bool ShareEmailWithOrganizer, SignatureState State, string Language,
    string? IpAddress, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? WithdrawnAt,
    DateTimeOffset? UnsubscribedAt, DateTimeOffset? AnonymizedAt, long PetitionId = 0);

/// <summary>The signatures of the session's address, and the delivery receipts of those that were delivered, by signature id.</summary>
public sealed record MySignaturesPage(string Email, IReadOnlyList<HeldSignature> Signatures, IReadOnlyDictionary<long, List<Domain.Privacy.MerkleReceipt>>? Receipts = null)
{
    public IReadOnlyList<Domain.Privacy.MerkleReceipt> ReceiptsOf(long signatureId) =>
        Receipts is not null && Receipts.TryGetValue(signatureId, out var list) ? list : [];
}

/// <summary>
/// "My signatures" without an account: /my emails a single-use link; opening it (a POST, as mail scanners open links)
/// starts an hour's session in which the signer sees, withdraws, downloads or erases every signature of the address.
/// </summary>
public sealed class MySignaturesController(
    PetitionsDbContext db,
    MyLinks links,
    MySession session,
    MySignaturesFormValidator validator,
    TimeProvider clock,
    Domain.Privacy.ProtectedFields protectedFields,
    NpgsqlDataSource dataSource,
    Verify.DeliveryTrees trees) : Controller
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [HttpGet("/my")]
    public IActionResult Ask() => View("Ask", new MySignaturesForm());

    [HttpPost("/my")]
    [EnableRateLimiting(RateLimits.AccountPolicy)]
    public async Task<IActionResult> Ask(MySignaturesForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!ModelState.Validate(validator, form))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Ask", form);
        }

        await links.RequestAsync(form.Email!, RateLimits.ClientKey(HttpContext), HttpContext.Language(), cancellationToken);
        return View("Sent");
    }

    /// <summary>The emailed link only asks; the POST below spends it.</summary>
    [HttpGet("/my/open/{token}")]
    public async Task<IActionResult> Open(string token, CancellationToken cancellationToken)
    {
        var state = await links.PeekAsync(token, cancellationToken);
        return state == LinkState.Valid ? View("Open", token) : LinkProblem(state);
    }

    [HttpPost("/my/open/{token}")]
    public async Task<IActionResult> Spend(string token, CancellationToken cancellationToken)
    {
        var email = await links.SpendAsync(token, cancellationToken);
        if (email is null)
        {
            return LinkProblem(await links.PeekAsync(token, cancellationToken));
        }

        session.Start(HttpContext, email);
        return Redirect(HttpContext.LanguagePrefixPath() + "/my/signatures");
    }

    [HttpGet("/my/signatures")]
    public async Task<IActionResult> List(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        var email = session.Read(HttpContext);
        if (email is null)
        {
            return SessionEnded();
        }

        var held = await HeldAsync(email, cancellationToken);
        return View("List", new MySignaturesPage(email, held, await ReceiptsAsync(held, cancellationToken)));
    }

    [HttpPost("/my/signatures/{id:long}/withdraw")]
    public async Task<IActionResult> Withdraw(long id, CancellationToken cancellationToken)
    {
        var email = session.Read(HttpContext);
        if (email is null)
        {
            return SessionEnded();
        }

        // Only a signature of the session's address: any other id changes nothing.
        var identities = protectedFields.Identities(email);
        var own = await db.Signatures.Where(s => s.Id == id && identities.Contains(s.NormalizedEmail)).Select(s => s.Id).ToListAsync(cancellationToken);
        await SignatureWithdrawal.WithdrawAsync(db, own, clock.GetUtcNow(), cancellationToken);
        return Redirect(HttpContext.LanguagePrefixPath() + "/my/signatures");
    }

    [HttpPost("/my/signatures/download")]
    public async Task<IActionResult> Download(CancellationToken cancellationToken)
    {
        var email = session.Read(HttpContext);
        if (email is null)
        {
            return SessionEnded();
        }

        var held = await HeldAsync(email, cancellationToken);
        var export = new
        {
            email,
            exportedAt = clock.GetUtcNow(),
            signatures = held.Select(s => new
            {
                petition = new { title = s.PetitionTitle, slug = s.PetitionSlug },
                fullName = s.FullName,
                s.Email,
                s.Country,
                s.PostcodeOrCity,
                s.Reason,
                s.ShowPublicly,
                s.EmailUpdates,
                s.ShareEmailWithOrganizer,
                state = s.State.ToString(),
                s.Language,
                s.IpAddress,
                signedAt = s.CreatedAt,
                s.ConfirmedAt,
                s.WithdrawnAt,
                s.UnsubscribedAt,
                s.AnonymizedAt,
            }),
        };
        Response.Headers.CacheControl = "no-store";
        return File(JsonSerializer.SerializeToUtf8Bytes(export, JsonOptions), "application/json", "my-signatures.json");
    }

    [HttpGet("/my/erase")]
    public IActionResult Erase()
    {
        Response.Headers.CacheControl = "no-store";
        return session.Read(HttpContext) is null ? SessionEnded() : View("Erase");
    }

    /// <summary>
    /// Withdraws every signature (the counter takes the counted ones off), then replaces their personal fields with
    /// the retention job's own statement, and forgets the address's links. Country and dates stay, as after retention.
    /// </summary>
    [HttpPost("/my/erase")]
    public async Task<IActionResult> EraseConfirmed(CancellationToken cancellationToken)
    {
        var email = session.Read(HttpContext);
        if (email is null)
        {
            return SessionEnded();
        }

        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var npgsql = (NpgsqlTransaction)transaction.GetDbTransaction();
            await CitusDistribution.UseSequentialOnCitusAsync(npgsql.Connection!, npgsql, cancellationToken);
            var identities = protectedFields.Identities(email);
            var ids = await db.Signatures.Where(s => identities.Contains(s.NormalizedEmail)).Select(s => s.Id).ToListAsync(cancellationToken);
            await SignatureWithdrawal.WithdrawAsync(db, ids, now, cancellationToken);
            await using (var anonymize = new NpgsqlCommand(RetentionSql.AnonymizeSigner, npgsql.Connection, npgsql).WithTimestamp(now).With(identities.ToArray()))
            {
                await anonymize.ExecuteNonQueryAsync(cancellationToken);
            }

            await db.SignerAccessLinks.Where(l => l.NormalizedEmail == email).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        MySession.End(HttpContext);
        Response.Headers.CacheControl = "no-store";
        return View("Erased");
    }

    [HttpPost("/my/end")]
    public IActionResult End()
    {
        MySession.End(HttpContext);
        return Redirect(HttpContext.LanguagePrefixPath() + "/my");
    }

    private async Task<List<HeldSignature>> HeldAsync(string email, CancellationToken cancellationToken)
    {
        var identities = protectedFields.Identities(email);
        var rows = await db.Signatures.AsNoTracking().Where(s => identities.Contains(s.NormalizedEmail))
            .Join(db.Petitions, s => s.PetitionId, p => p.Id, (s, p) => new { s, p.Title, p.Slug, p.Protected })
            .OrderByDescending(x => x.s.CreatedAt).ThenBy(x => x.s.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(x =>
        {
            // A protected signature is shown and exported in the clear: it is the signer's own.
            var open = protectedFields.Open(x.Protected, x.s.PetitionId, x.s.NormalizedEmail, x.s.FullName, x.s.Email, x.s.PostcodeOrCity, x.s.Reason);
            return new HeldSignature(
                x.s.Id, x.Title, x.Slug, open.FullName, open.Email, x.s.Country, open.PostcodeOrCity, open.Reason, x.s.ShowPublicly,
                x.s.EmailUpdates, x.s.ShareEmailWithOrganizer, x.s.State, x.s.Language, x.s.IpAddress, x.s.CreatedAt, x.s.ConfirmedAt,
                x.s.WithdrawnAt, x.s.UnsubscribedAt, x.s.AnonymizedAt, x.s.PetitionId);
        })];
    }

    /// <summary>Every signer's receipts, not only those who asked for updates (whose delivery notice carries them).</summary>
    private async Task<Dictionary<long, List<Domain.Privacy.MerkleReceipt>>> ReceiptsAsync(List<HeldSignature> held, CancellationToken cancellationToken)
    {
        var leaves = held.Where(s => s.ConfirmedAt is not null && s.AnonymizedAt is null)
            .Select(s => new Verify.SignatureLeaf(s.Id, s.PetitionId, s.PetitionSlug, s.FullName, s.ConfirmedAt!.Value)).ToList();
        if (leaves.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Verify.ReceiptLinks.ForSignaturesAsync(connection, trees, protectedFields, leaves, cancellationToken);
    }

    private ViewResult LinkProblem(LinkState state)
    {
        Response.StatusCode = state == LinkState.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return View("LinkProblem", state);
    }

    private ViewResult SessionEnded()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View("LinkProblem", LinkState.Expired);
    }
}
