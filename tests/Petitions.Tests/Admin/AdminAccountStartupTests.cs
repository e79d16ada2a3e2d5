using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Admin;

/// <summary>Every node creates the first admin on start; nodes starting at once must all come up, with one admin between them.</summary>
public sealed class AdminAccountStartupTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Two_apps_starting_at_once_both_come_up_and_one_admin_exists()
    {
        var email = UniqueEmail("admin");
        var settings = new[] { ("Admin:Email", email), ("Admin:Password", "two-apps-admin-password") };
        await using var first = App.WithSettings(settings);
        await using var second = App.WithSettings(settings);

        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        foreach (var node in new[] { first, second })
        {
            var response = await node.CreateBrowser().GetAsync("/health/ready");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.Status);
        }

        await AssertOneAdminAsync(email);
    }

    [Fact]
    public async Task Many_concurrent_starts_create_one_admin_with_the_admin_role_and_both_roles()
    {
        var email = UniqueEmail("admin");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Email"] = email, ["Admin:Password"] = "many-starts-admin-password" })
            .Build();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => AdminAccount.EnsureAsync(App.Services, configuration))));

        await AssertOneAdminAsync(email);
        var roles = await App.WithDbAsync(db => db.Roles.Select(r => r.Name).OrderBy(n => n).ToListAsync());
        Assert.Equal([AdminRoles.Admin, AdminRoles.Moderator], roles);
    }

    private async Task AssertOneAdminAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized)));
        await using var scope = App.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admins = await users.GetUsersInRoleAsync(AdminRoles.Admin);
        Assert.Equal([email], admins.Select(a => a.Email));
    }
}
