using Microsoft.AspNetCore.Identity;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Admin;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Creates the roles, and the first admin from configuration (Admin__Email, Admin__Password) if it does not exist yet.
/// Every node does this on start; a PostgreSQL advisory lock makes nodes starting at once take turns, so the second
/// finds what the first created instead of failing on the unique email.
/// </summary>
public static class AdminAccount
{
    private const long AdvisoryLockKey = Data.Sql.AdvisoryLocks.AdminAccount;

    public static async Task EnsureAsync(IServiceProvider services, IConfiguration configuration)
    {
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];

        using var scope = services.CreateScope();
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand(WorkerSql.Lock, connection).With(AdvisoryLockKey))
        {
            await take.ExecuteNonQueryAsync();
        }

        try
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in AdminRoles.All)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    Check(await roles.CreateAsync(new IdentityRole(role)));
                }
            }

            if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            {
                return;
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = DateTimeOffset.UtcNow };
                Check(await users.CreateAsync(user, password));
            }

            if (!await users.IsInRoleAsync(user, AdminRoles.Admin))
            {
                Check(await users.AddToRoleAsync(user, AdminRoles.Admin));
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand(WorkerSql.Unlock, connection).With(AdvisoryLockKey);
            await release.ExecuteNonQueryAsync();
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Admin__Email / Admin__Password: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
