using Microsoft.AspNetCore.Identity;
using Petitions.Web.Data;
using Petitions.Web.Features.Organize;

namespace Petitions.Web.Infrastructure;

/// <summary>Creates the first admin from configuration (Admin__Email, Admin__Password) if it does not exist yet.</summary>
public static class AdminAccount
{
    public static async Task EnsureAsync(IServiceProvider services, IConfiguration configuration)
    {
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return;
        }

        using var scope = services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (!await roles.RoleExistsAsync(ManagedPetitions.AdminRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(ManagedPetitions.AdminRole)));
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = DateTimeOffset.UtcNow };
            Check(await users.CreateAsync(user, password));
        }

        if (!await users.IsInRoleAsync(user, ManagedPetitions.AdminRole))
        {
            Check(await users.AddToRoleAsync(user, ManagedPetitions.AdminRole));
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
