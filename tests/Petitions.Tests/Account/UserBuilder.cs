using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Account;

public sealed record TestUser(string Id, string Email, string Password, string DisplayName);

/// <summary>Arranges an account through Identity's own UserManager: confirmed, with a known password, unless told otherwise.</summary>
public sealed class UserBuilder
{
    public const string DefaultPassword = "correct horse battery staple";

    private string email = $"organizer-{Guid.NewGuid():N}@example.test";
    private string password = DefaultPassword;
    private string displayName = "Mill Road Cyclists";
    private bool confirmed = true;

    public UserBuilder WithEmail(string value)
    {
        email = value;
        return this;
    }

    public UserBuilder WithPassword(string value)
    {
        password = value;
        return this;
    }

    public UserBuilder Named(string value)
    {
        displayName = value;
        return this;
    }

    public UserBuilder Unconfirmed()
    {
        confirmed = false;
        return this;
    }

    public async Task<TestUser> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = confirmed,
            DisplayName = displayName,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new TestUser(user.Id, email, password, displayName);
    }

    /// <summary>The first admin, created the way the app creates it at start-up: from Admin:Email and Admin:Password.</summary>
    public static async Task<TestUser> CreateAdminAsync(IServiceProvider services)
    {
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.test";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Email"] = adminEmail, ["Admin:Password"] = DefaultPassword })
            .Build();
        await AdminAccount.EnsureAsync(services, configuration);

        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(adminEmail);
        Assert.NotNull(user);
        return new TestUser(user.Id, adminEmail, DefaultPassword, user.DisplayName);
    }
}
