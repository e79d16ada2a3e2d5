using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Admin;

public sealed class RolesAndAuditTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task An_admin_finds_an_account_makes_it_a_moderator_and_revokes_it_again_and_both_are_audited()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        var organizer = await new UserBuilder().WithEmail(UniqueEmail("quentin")).Named("Quentin Blake").CreateAsync(App.Services);
        await new UserBuilder().WithEmail(UniqueEmail("someone")).CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(admin);
        using var organizerBrowser = await App.LoggedInVisitorAsync(organizer);
        Assert.Equal(HttpStatusCode.Forbidden, (await organizerBrowser.GetAsync("/admin")).Status);

        var found = await browser.GetAsync("/admin/users?q=QUENTIN");
        var row = Assert.Single(found.All("tbody tr"));
        Assert.Contains(organizer.Email, row.TextContent, StringComparison.Ordinal);
        var granted = await browser.SubmitAsync(RoleForm(found, organizer.Id, AdminRoles.Moderator), []);
        Assert.Equal(HttpStatusCode.Redirect, granted.Status);

        Assert.True(await InRoleAsync(organizer.Id, AdminRoles.Moderator));
        // Changing a role ends the account's sessions (its security stamp changes); logging in again brings the role.
        Assert.False(await organizerBrowser.IsLoggedInAsync());
        using (var moderatorBrowser = await App.LoggedInVisitorAsync(organizer))
        {
            Assert.Equal(HttpStatusCode.OK, (await moderatorBrowser.GetAsync("/admin")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await moderatorBrowser.GetAsync("/admin/users")).Status);
        }

        var again = await browser.GetAsync("/admin/users?q=quentin");
        Assert.Contains(AdminRoles.Moderator, again.Text("tbody tr .roles"), StringComparison.Ordinal);
        await browser.SubmitAsync(RoleForm(again, organizer.Id, AdminRoles.Moderator), []);

        Assert.False(await InRoleAsync(organizer.Id, AdminRoles.Moderator));
        var audit = await ModerationArrange.AuditAsync(App.Services);
        Assert.Equal([AuditAction.GrantRole, AuditAction.RevokeRole], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((admin.Id, AuditTarget.User, organizer.Id, AdminRoles.Moderator), (a.ActorId!, a.TargetKind, a.TargetId, a.Reason!)));
    }

    [Fact]
    public async Task An_admin_cannot_revoke_their_own_admin_role()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(admin);
        var token = await browser.AntiforgeryTokenAsync();

        var page = await browser.PostAsync($"/admin/users/{admin.Id}/roles", [new(TestBrowser.AntiforgeryField, token), new("role", AdminRoles.Admin), new("grant", "false")]);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.True(await InRoleAsync(admin.Id, AdminRoles.Admin));
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }

    [Fact]
    public async Task The_users_list_pages_through_every_account()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        for (var i = 0; i < AdminController.PageSize + 5; i++)
        {
            await new UserBuilder().WithEmail($"pager-{i:D3}-{Guid.NewGuid():N}@example.test").CreateAsync(App.Services);
        }

        using var browser = await App.LoggedInVisitorAsync(admin);
        var first = await browser.GetAsync("/admin/users?q=pager-");
        var second = await browser.GetAsync(first.One("a[href*='page=2']").GetAttribute("href")!);

        Assert.Equal(AdminController.PageSize, first.All("tbody tr").Count);
        Assert.Equal(5, second.All("tbody tr").Count);
        Assert.Contains("pager-000-", first.Html, StringComparison.Ordinal);
        Assert.Contains("pager-054-", second.Html, StringComparison.Ordinal);
        Assert.Null(second.Find("a[href*='page=3']"));
    }

    [Fact]
    public async Task The_audit_log_filters_by_moderator_action_and_petition()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        var moderatorA = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator, "Alice");
        var moderatorB = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator, "Bob");
        var (one, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        var (two, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using (var a = await App.LoggedInVisitorAsync(moderatorA))
        {
            await a.DecideAsync(one.Slug, "hide", "Spam");
            await a.DecideAsync(one.Slug, "restore");
        }

        using (var b = await App.LoggedInVisitorAsync(moderatorB))
        {
            await b.DecideAsync(two.Slug, "hide", "Offensive");
        }

        using var browser = await App.LoggedInVisitorAsync(admin);
        Assert.Equal("3 entries", (await browser.GetAsync("/admin/audit")).Text(".audit-total"));
        Assert.Equal("2 entries", (await browser.GetAsync($"/admin/audit?actor={Uri.EscapeDataString(moderatorA.Email)}")).Text(".audit-total"));
        Assert.Equal("2 entries", (await browser.GetAsync("/admin/audit?action=Hide")).Text(".audit-total"));
        Assert.Equal("1 entry", (await browser.GetAsync($"/admin/audit?petition={two.Slug}")).Text(".audit-total"));
        var filtered = await browser.GetAsync($"/admin/audit?actor={Uri.EscapeDataString(moderatorB.Email)}&action=Hide&petition={two.Slug}");
        Assert.Equal("1 entry", filtered.Text(".audit-total"));
        Assert.Contains(moderatorB.Email, filtered.Text("tbody tr"), StringComparison.Ordinal);
        Assert.Equal("0 entries", (await browser.GetAsync("/admin/audit?action=NoSuchAction")).Text(".audit-total"));
    }

    [Fact]
    public async Task The_audit_log_has_no_way_to_change_it()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(admin);
        var page = await browser.GetAsync("/admin/audit");
        Assert.Empty(page.All("main form[method=post]"));
        var token = await browser.AntiforgeryTokenAsync();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, "/admin/audit/1") { Content = new FormUrlEncodedContent([new(TestBrowser.AntiforgeryField, token)]) };
            using var response = await browser.Client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} answered {(int)response.StatusCode}");
        }
    }

    private static IHtmlFormElement RoleForm(HtmlPage page, string userId, string role) =>
        page.All($"form[action='/admin/users/{userId}/roles']").OfType<IHtmlFormElement>()
            .Single(f => f.QuerySelector($"input[name='role'][value='{role}']") is not null);

    private async Task<bool> InRoleAsync(string userId, string role)
    {
        await using var scope = App.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.IsInRoleAsync((await users.FindByIdAsync(userId))!, role);
    }
}
