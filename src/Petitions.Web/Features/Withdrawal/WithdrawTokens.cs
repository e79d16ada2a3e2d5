using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Petitions.Web.Domain;

namespace Petitions.Web.Features.Withdrawal;

/// <summary>
/// Signed "Withdraw my signature" links, like the unsubscribe links. They name the petition and the normalized address
/// rather than the row's id, so the confirmation email can carry one before the signature's row exists.
/// </summary>
public sealed class WithdrawTokens(IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("Petitions.Withdraw.v1");

    public string Create(long petitionId, string normalizedEmail)
    {
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        var email = Encoding.UTF8.GetBytes(normalizedEmail);
        var payload = new byte[sizeof(long) + email.Length];
        BitConverter.TryWriteBytes(payload, petitionId);
        email.CopyTo(payload, sizeof(long));
        return protector.ProtectToken(payload);
    }

    public (long PetitionId, string NormalizedEmail)? Read(string? token) =>
        protector.UnprotectToken(token) is { Length: > sizeof(long) } bytes
            ? (BitConverter.ToInt64(bytes), Encoding.UTF8.GetString(bytes, sizeof(long), bytes.Length - sizeof(long)))
            : null;
}

public static class WithdrawalServices
{
    public static IServiceCollection AddWithdrawal(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<WithdrawTokens>();
        return services;
    }
}
