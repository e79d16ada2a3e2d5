using System.Net;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Admin;

public enum AdminVisitor
{
    Stranger,
    Organizer,
    Moderator,
    Admin,
}

/// <summary>
/// Every admin route for every kind of visitor: strangers are sent to log in, organizers (even the petition's own)
/// get a 403, moderators reach the moderation pages but not roles or the audit log, admins reach everything; and a
/// refused POST changes nothing.
/// </summary>
public sealed class AdminPermissionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly (string Method, string Path, bool AdminOnly)[] Routes =
    [
        ("GET", "/admin", false),
        ("GET", "/admin/reports", false),
        ("GET", "/admin/petitions/{slug}", false),
        ("POST", "/admin/petitions/{slug}/hide", false),
        ("POST", "/admin/petitions/{slug}/approve", false),
        ("POST", "/admin/petitions/{slug}/reject", false),
        ("POST", "/admin/petitions/{slug}/restore", false),
        ("POST", "/admin/petitions/{slug}/reports/dismiss", false),
        ("POST", "/admin/signatures/1/hide-public", false),
        ("GET", "/admin/users", true),
        ("POST", "/admin/users/{owner}/roles", true),
        ("GET", "/admin/audit", true),
    ];

    public static TheoryData<int, AdminVisitor> Cases()
    {
        var data = new TheoryData<int, AdminVisitor>();
        for (var i = 0; i < Routes.Length; i++)
        {
            foreach (var visitor in Enum.GetValues<AdminVisitor>())
            {
                data.Add(i, visitor);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_admin_route_answers_each_visitor_rightly(int route, AdminVisitor visitor)
    {
        var (method, template, adminOnly) = Routes[route];
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services);
        var path = template.Replace("{slug}", petition.Slug, StringComparison.Ordinal).Replace("{owner}", owner.Id, StringComparison.Ordinal);
        using var browser = visitor switch
        {
            AdminVisitor.Stranger => App.CreateVisitor(),
            AdminVisitor.Organizer => await App.LoggedInVisitorAsync(owner),
            AdminVisitor.Moderator => await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator)),
            _ => await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin")),
        };
        var auditBefore = (await ModerationArrange.AuditAsync(App.Services)).Count;

        HtmlPage page;
        if (method == "GET")
        {
            page = await browser.GetAsync(path);
        }
        else
        {
            // A valid form token for this visitor, so that only authorization can refuse the request.
            var token = await browser.AntiforgeryTokenAsync();
            page = await browser.PostAsync(path, [new(TestBrowser.AntiforgeryField, token), new("Form.Reason", "Spam"), new("role", AdminRoles.Moderator), new("grant", "true")]);
        }

        var allowed = visitor == AdminVisitor.Admin || (visitor == AdminVisitor.Moderator && !adminOnly);
        if (visitor == AdminVisitor.Stranger)
        {
            Assert.Equal(HttpStatusCode.Redirect, page.Status);
            Assert.StartsWith("/account/login", page.PathAndQuery(), StringComparison.Ordinal);
        }
        else if (!allowed)
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        }
        else
        {
            Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.NotFound or HttpStatusCode.Conflict,
                $"{method} {path} as {visitor}: {(int)page.Status}");
        }

        if (!allowed)
        {
            Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
            Assert.Equal(auditBefore, (await ModerationArrange.AuditAsync(App.Services)).Count);
        }
    }
}
