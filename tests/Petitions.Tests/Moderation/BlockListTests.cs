using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Moderation;

public sealed class BlockListTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private async Task<TestBrowser> AdminAsync()
    {
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        return await App.LoggedInVisitorAsync(admin);
    }

    private static async Task<HtmlPage> AddBlockAsync(TestBrowser admin, string kind, string value, string reason = "Scripted signing run")
    {
        var page = await admin.GetAsync("/admin/blocks");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await admin.SubmitAsync(page.Form("form[action='/admin/blocks']"), [new("Form.Kind", kind), new("Form.Value", value), new("Form.Reason", reason)]);
    }

    /// <summary>Signs from <paramref name="address"/> and follows the emailed link; returns the confirm page and the stored signature.</summary>
    private async Task<(HtmlPage Confirm, Signature Signature)> SignAndConfirmAsync(string slug, IPAddress address, string email)
    {
        using var signer = App.Server.CreateVisitor(address);
        var signed = await signer.SignAsync(slug, new SignFormBuilder().WithEmail(email));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        Assert.Contains("check-your-email", signed.Location!.ToString(), StringComparison.Ordinal);
        var message = await MailDev.WaitForEmailAsync(email);
        var confirm = await signer.GetAsync(message.SingleLink("/s/confirm/"));
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.Email == email));
        return (confirm, signature);
    }

    [Fact]
    public async Task A_signer_from_a_blocked_range_gets_the_ordinary_email_but_never_confirms_and_a_neighbour_does()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AddBlockAsync(admin, "Ip", "203.0.113.0/25")).Status);

        var (blocked, blockedRow) = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("203.0.113.77"), $"blocked-{Guid.NewGuid():N}@example.test");
        Assert.Equal(HttpStatusCode.NotFound, blocked.Status);
        Assert.NotEqual("Thank you for signing", blocked.Text("h1"));
        Assert.Equal(SignatureState.Pending, blockedRow.State);
        Assert.Equal(0, await App.WithDbAsync(db => db.CountEvents.CountAsync(e => e.PetitionId == petition.Id)));

        var (neighbour, neighbourRow) = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("203.0.113.200"), $"neighbour-{Guid.NewGuid():N}@example.test");
        Assert.Equal(HttpStatusCode.OK, neighbour.Status);
        Assert.Equal("Thank you for signing", neighbour.Text("h1"));
        Assert.Equal(SignatureState.Confirmed, neighbourRow.State);

        var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services));
        Assert.Equal((AuditAction.AddBlock, AuditTarget.Block, "Ip:203.0.113.0/25", "Scripted signing run"), (audit.Action, audit.TargetKind, audit.TargetId, audit.Reason));
    }

    [Fact]
    public async Task An_IPv6_range_is_blocked_too()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AddBlockAsync(admin, "Ip", "2001:db8:abcd::/48")).Status);

        var (blocked, row) = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("2001:db8:abcd:12::5"), $"v6-{Guid.NewGuid():N}@example.test");
        Assert.Equal(HttpStatusCode.NotFound, blocked.Status);
        Assert.Equal(SignatureState.Pending, row.State);
        var (other, otherRow) = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("2001:db8:abce::5"), $"v6ok-{Guid.NewGuid():N}@example.test");
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(SignatureState.Confirmed, otherRow.State);
    }

    [Fact]
    public async Task A_blocked_domain_and_its_subdomains_never_confirm()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await AddBlockAsync(admin, "Domain", "@Spam-Farm.test")).Status);
        Assert.Equal("spam-farm.test", await App.WithDbAsync(db => db.SigningBlocks.Select(b => b.Value).SingleAsync()));

        var (exact, exactRow) = await SignAndConfirmAsync(petition.Slug, Visitors.NextAddress(), $"a-{Guid.NewGuid():N}@spam-farm.test");
        var (sub, subRow) = await SignAndConfirmAsync(petition.Slug, Visitors.NextAddress(), $"b-{Guid.NewGuid():N}@mx.spam-farm.test");
        var (lookalike, lookalikeRow) = await SignAndConfirmAsync(petition.Slug, Visitors.NextAddress(), $"c-{Guid.NewGuid():N}@notspam-farm.test");

        Assert.Equal((HttpStatusCode.NotFound, SignatureState.Pending), (exact.Status, exactRow.State));
        Assert.Equal((HttpStatusCode.NotFound, SignatureState.Pending), (sub.Status, subRow.State));
        Assert.Equal((HttpStatusCode.OK, SignatureState.Confirmed), (lookalike.Status, lookalikeRow.State));
    }

    [Fact]
    public async Task An_invalid_CIDR_is_refused_next_to_the_field_and_nothing_is_saved()
    {
        using var admin = await AdminAsync();
        var refused = await AddBlockAsync(admin, "Ip", "203.0.113.0/33");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Enter an IP address or CIDR range", refused.Text("#Form_Value-error"), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.SigningBlocks.CountAsync()));
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }

    [Fact]
    public async Task Removing_a_block_lets_new_links_confirm_and_is_audited()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var admin = await AdminAsync();
        await AddBlockAsync(admin, "Domain", "removed.test");
        var list = await admin.GetAsync("/admin/blocks");
        var id = await App.WithDbAsync(db => db.SigningBlocks.Select(b => b.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(list.Form($"form[action='/admin/blocks/{id}/remove']"), [])).Status);
        Assert.Equal(0, await App.WithDbAsync(db => db.SigningBlocks.CountAsync()));
        Assert.Equal(AuditAction.RemoveBlock, (await ModerationArrange.AuditAsync(App.Services))[^1].Action);
        var (confirm, row) = await SignAndConfirmAsync(petition.Slug, Visitors.NextAddress(), $"ok-{Guid.NewGuid():N}@removed.test");
        Assert.Equal((HttpStatusCode.OK, SignatureState.Confirmed), (confirm.Status, row.State));
    }

    [Theory]
    [InlineData("GET", "/admin/blocks")]
    [InlineData("POST", "/admin/blocks")]
    [InlineData("POST", "/admin/blocks/1/remove")]
    [InlineData("POST", "/admin/pause-signing")]
    [InlineData("POST", "/admin/resume-signing")]
    [InlineData("POST", "/admin/petitions/{slug}/pause-signing")]
    public async Task Organizers_get_403_and_strangers_are_sent_to_log_in(string method, string template)
    {
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services);
        var path = template.Replace("{slug}", petition.Slug, StringComparison.Ordinal);
        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator);
        foreach (var visitor in new[] { "stranger", "organizer", "moderator" })
        {
            using var browser = visitor switch
            {
                "stranger" => App.CreateVisitor(),
                "organizer" => await App.LoggedInVisitorAsync(owner),
                _ => await App.LoggedInVisitorAsync(moderator),
            };
            if (visitor == "moderator" && !path.StartsWith("/admin/blocks", StringComparison.Ordinal))
            {
                continue;
            }

            HtmlPage page;
            if (method == "GET")
            {
                page = await browser.GetAsync(path);
            }
            else
            {
                // A valid form token, so that only authorization can refuse the request.
                var token = await browser.AntiforgeryTokenAsync();
                page = await browser.PostAsync(path, [new(TestBrowser.AntiforgeryField, token), new("Form.Kind", "Ip"), new("Form.Value", "10.0.0.0/8"),
                    new("Form.Reason", "x"), new("pauseReason", "x")]);
            }

            if (visitor == "stranger")
            {
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.StartsWith("/account/login", page.PathAndQuery(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, page.Status);
            }
        }

        Assert.Equal(0, await App.WithDbAsync(db => db.SigningBlocks.CountAsync()));
        Assert.Null((await ModerationArrange.ReloadAsync(App.Services, petition.Id)).SigningPausedAt);
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }
}
