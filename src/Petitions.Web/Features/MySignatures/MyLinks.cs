using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.MySignatures;

public sealed record MySignaturesLinkEmail(string Url, int Minutes);

/// <summary>
/// The single-use "my signatures" links. Asking for one always looks the same to the asker: a link goes out only when
/// the address has signed something here and neither the address nor the client has used up its hourly allowance.
/// An address that signed nothing gets no email at all (we hold nothing about it, and a stranger could otherwise make
/// the site write to any address).
/// </summary>
public sealed class MyLinks(
    PetitionsDbContext db,
    EmailRenderer renderer,
    Outbox outbox,
    OutboxSignal signal,
    EmailThrottle throttle,
    SiteLinks links,
    TimeProvider clock,
    Domain.Privacy.ProtectedFields protectedFields)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    /// <summary>Links one client (an IPv4 address or an IPv6 /64) can ask for in an hour, for any addresses.</summary>
    public const int LinksPerClientPerHour = 10;

    public async Task RequestAsync(string email, string clientKey, Language language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var address = email.Trim();
        var normalized = EmailAddresses.Normalize(address);
        // A protected petition holds the address's keyed hash, not the address.
        var identities = protectedFields.Identities(normalized);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var npgsql = (NpgsqlTransaction)transaction.GetDbTransaction();
        var sent = await throttle.TryTakeAsync(ClientKey(clientKey), LinksPerClientPerHour, npgsql.Connection!, npgsql, cancellationToken)
            && await db.Signatures.AnyAsync(s => identities.Contains(s.NormalizedEmail), cancellationToken)
            && await throttle.TryTakeAsync(address, cancellationToken, npgsql.Connection, npgsql);
        if (sent)
        {
            var (token, hash) = Tokens.Create();
            var now = clock.GetUtcNow();
            db.SignerAccessLinks.Add(new SignerAccessLink { TokenHash = hash, NormalizedEmail = normalized, CreatedAt = now, ExpiresAt = now + LinkLifetime });
            var url = links.MySignatures(token, language);
            var content = await renderer.RenderAsync(EmailKind.MySignaturesLink, new MySignaturesLinkEmail(url, (int)LinkLifetime.TotalMinutes), language);
            // Nothing needs the address once the link has gone, and it may be a protected signer's.
            var message = outbox.Create(EmailKind.MySignaturesLink, address, null, content);
            message.ForgetRecipient = true;
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (sent)
        {
            signal.Notify();
        }
    }

    /// <summary>What a link is worth now, without spending it (the link's page only asks, as mail scanners open links).</summary>
    public async Task<LinkState> PeekAsync(string? token, CancellationToken cancellationToken)
    {
        if (!Tokens.LooksValid(token))
        {
            return LinkState.Unknown;
        }

        var hash = Tokens.Hash(token!);
        var link = await db.SignerAccessLinks.AsNoTracking().Where(l => l.TokenHash == hash)
            .Select(l => new { l.UsedAt, l.ExpiresAt }).SingleOrDefaultAsync(cancellationToken);
        return link is null ? LinkState.Unknown
            : link.UsedAt is not null ? LinkState.Used
            : link.ExpiresAt <= clock.GetUtcNow() ? LinkState.Expired
            : LinkState.Valid;
    }

    /// <summary>Spends a link: its normalized address the first time, null ever after (or when expired or unknown).</summary>
    public async Task<string?> SpendAsync(string? token, CancellationToken cancellationToken)
    {
        if (!Tokens.LooksValid(token))
        {
            return null;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(MySignaturesSql.Spend, connection)
                .With(Tokens.Hash(token!)).WithTimestamp(clock.GetUtcNow());
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static byte[] ClientKey(string client) => SHA256.HashData(Encoding.UTF8.GetBytes("petitions.my-client:" + client));
}

public enum LinkState
{
    Unknown,
    Valid,
    Used,
    Expired,
}
