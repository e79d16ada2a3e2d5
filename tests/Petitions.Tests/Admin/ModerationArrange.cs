using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Admin;

/// <summary>Arranges the people and petitions of the moderation tests, and the steps a moderator takes through the pages.</summary>
public static class ModerationArrange
{
    /// <summary>An account with <paramref name="role"/> (the roles are created as the app creates them at start-up).</summary>
    public static async Task<TestUser> CreateWithRoleAsync(IServiceProvider services, string role, string name = "Mod")
    {
        await AdminAccount.EnsureAsync(services, new ConfigurationBuilder().Build());
        var user = await new UserBuilder().WithEmail($"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test").Named(name).CreateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.AddToRoleAsync((await users.FindByIdAsync(user.Id))!, role);
        Assert.True(result.Succeeded);
        return user;
    }

    /// <summary>A petition owned by a new organizer account, in <paramref name="status"/>.</summary>
    public static async Task<(Petition Petition, TestUser Owner)> CreateOwnedAsync(IServiceProvider services, PetitionStatus status = PetitionStatus.Open, string? title = null)
    {
        var owner = await new UserBuilder().WithEmail($"owner-{Guid.NewGuid():N}@example.test").Named("Elm Street Residents").CreateAsync(services);
        var builder = new PetitionBuilder().WithTitle(title ?? $"Fix the potholes on Elm Street {Guid.NewGuid():N}".Substring(0, 40)).AddressedTo("The Council");
        builder = status == PetitionStatus.Draft ? builder.Draft() : builder.Open();
        var petition = await builder.CreateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        await db.Petitions.Where(p => p.Id == petition.Id)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.OwnerId, owner.Id).SetProperty(x => x.Status, status));
        petition.OwnerId = owner.Id;
        petition.Status = status;
        return (petition, owner);
    }

    public static async Task<Petition> ReloadAsync(IServiceProvider services, long id)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PetitionsDbContext>().Petitions.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    public static async Task<List<AuditLogEntry>> AuditAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PetitionsDbContext>().AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>Forgets every cached public page: another test's listing may still be cached for up to a second.</summary>
    public static async Task ForgetCachedPagesAsync(IServiceProvider services) =>
        await services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PetitionsController.PagePolicy, CancellationToken.None);

    /// <summary>Opens the review page and submits one of its decision forms.</summary>
    public static async Task<HtmlPage> DecideAsync(this TestBrowser moderator, string slug, string decision, string? reason = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(moderator);
        var review = await moderator.GetAsync($"/admin/petitions/{slug}");
        Assert.Equal(HttpStatusCode.OK, review.Status);
        var fields = new List<KeyValuePair<string, string>>();
        if (reason is not null)
        {
            fields.Add(new("Form.Reason", reason));
        }

        if (note is not null)
        {
            fields.Add(new("Form.Note", note));
        }

        return await moderator.SubmitAsync(review.Form($"form[action='/admin/petitions/{slug}/{decision}']"), fields);
    }
}
