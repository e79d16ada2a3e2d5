using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Account;

/// <summary>Rate limits and antiforgery on the account forms, and the first admin created from configuration.</summary>
public sealed class AccountProtectionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("/account/login", "form[action='/account/login']")]
    [InlineData("/account/register", "form[action='/account/register']")]
    [InlineData("/account/forgot-password", "form[action='/account/forgot-password']")]
    public async Task Post_MoreThan20AMinuteFromOneAddress_IsRefusedWith429(string path, string formSelector)
    {
        using var browser = App.CreateVisitor();
        var form = (await browser.GetAsync(path)).Form(formSelector);

        // The window is a minute; should one end mid-test the count restarts, so look for the first refusal.
        var statuses = new List<HttpStatusCode>();
        while (statuses.Count < 60 && !statuses.Contains(HttpStatusCode.TooManyRequests))
        {
            statuses.Add((await browser.SubmitAsync(form, [new("Email", "")])).Status);
        }

        var firstRefused = statuses.IndexOf(HttpStatusCode.TooManyRequests) + 1;
        Assert.True(firstRefused > 20, $"Refused at request {firstRefused}: {string.Join(",", statuses.Select(s => (int)s))}");
        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.BadRequest, s));

        var refused = await browser.SubmitAsync(form, [new("Email", "")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("Too many requests", refused.Text("h1"));

        // Someone else, from another address, is not affected.
        using var other = App.CreateVisitor();
        var page = await other.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SubmitAsync(page.Form(formSelector), [new("Email", "")])).Status);
    }

    /// <summary>
    /// Posts aimed at one address are limited wherever they come from, at twice what one client may send, so that one
    /// client alone can never use up an address's allowance and lock its owner out.
    /// </summary>
    [Fact]
    public async Task Post_ManyAddressesAimingAtOneEmail_AreLimitedPerEmail()
    {
        var target = UniqueEmail("target");
        var senders = Enumerable.Range(0, 3).Select(_ => App.CreateVisitor()).ToList();
        try
        {
            var statuses = new List<HttpStatusCode>();
            while (statuses.Count < 55 && !statuses.Contains(HttpStatusCode.TooManyRequests))
            {
                statuses.Add((await ForgotPasswordAsync(senders[statuses.Count % senders.Count], target)).Status);
            }

            var firstRefused = statuses.IndexOf(HttpStatusCode.TooManyRequests) + 1;
            Assert.True(firstRefused > 40, $"Refused at request {firstRefused}: {string.Join(",", statuses.Select(s => (int)s))}");
            Assert.All(statuses.Take(40), s => Assert.Equal(HttpStatusCode.OK, s));

            using var fresh = App.CreateVisitor();
            var refused = await ForgotPasswordAsync(fresh, target);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("Too many requests", refused.Text("h1"));
            Assert.Equal(HttpStatusCode.OK, (await ForgotPasswordAsync(fresh, UniqueEmail("someone-else"))).Status);
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/register")]
    [InlineData("/account/forgot-password")]
    [InlineData("/account/reset-password")]
    public async Task Post_WithoutAntiforgeryToken_IsRefusedAndSavesNothing(string path)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = App.CreateVisitor();

        var result = await browser.PostAsync(path,
        [
            new("DisplayName", "Someone"), new("Email", user.Email), new("Password", user.Password), new("ConfirmPassword", user.Password),
        ]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.False(await browser.IsLoggedInAsync());
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task AdminAccount_FromConfiguration_CreatesAConfirmedAdminWhoCanLogIn()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);

        await using (var scope = App.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByIdAsync(admin.Id);
            Assert.NotNull(user);
            Assert.True(user.EmailConfirmed);
            Assert.True(await users.IsInRoleAsync(user, "Admin"));
        }

        using var browser = await App.LoggedInVisitorAsync(admin);
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task AdminAccount_RunTwiceOrForAnExistingUser_NeitherDuplicatesNorChangesThePassword()
    {
        var existing = await new UserBuilder().CreateAsync(App.Services);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Email"] = existing.Email, ["Admin:Password"] = "a different configured password" })
            .Build();

        await AdminAccount.EnsureAsync(App.Services, configuration);
        await AdminAccount.EnsureAsync(App.Services, configuration);

        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync()));
        // EnsureAsync creates every role (Admin, Moderator) once; running it twice must not add a second set.
        Assert.Equal(AdminRoles.All.Order(StringComparer.Ordinal), (await App.WithDbAsync(db => db.Roles.Select(r => r.Name!).ToListAsync())).Order(StringComparer.Ordinal));
        Assert.Equal(1, await App.WithDbAsync(db => db.UserRoles.CountAsync(r => r.UserId == existing.Id)));
        using var browser = await App.LoggedInVisitorAsync(existing);
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task AdminAccount_NotConfigured_CreatesNobody()
    {
        await AdminAccount.EnsureAsync(App.Services, new ConfigurationBuilder().Build());

        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync()));
    }

    private static async Task<HtmlPage> ForgotPasswordAsync(TestBrowser browser, string email)
    {
        var form = (await browser.GetAsync("/account/forgot-password")).Form("form[action='/account/forgot-password']");
        return await browser.SubmitAsync(form, [new("Email", email)]);
    }
}
