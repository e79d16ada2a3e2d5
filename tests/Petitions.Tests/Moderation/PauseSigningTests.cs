using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Moderation;

public sealed class PauseSigningTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Paused = "Signing is paused while moderators look into unusual activity";

    [Fact]
    public async Task Pausing_one_petition_shows_the_message_refuses_signing_and_resuming_restores_it()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        await ModerationArrange.ForgetCachedPagesAsync(App.Services);
        using var signer = App.CreateVisitor();
        var before = await signer.GetAsync($"/p/{petition.Slug}");
        var staleForm = before.Form("form#sign");

        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator);
        using var mod = await App.LoggedInVisitorAsync(moderator);
        var review = await mod.GetAsync($"/admin/petitions/{petition.Slug}");
        var done = await mod.SubmitAsync(review.Form($"form[action='/admin/petitions/{petition.Slug}/pause-signing']"), [new("pauseReason", "Scripted run from one range")]);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);

        var page = await signer.GetAsync($"/p/{petition.Slug}");
        Assert.Contains(Paused, page.Text(".signing-paused"), StringComparison.Ordinal);
        Assert.Null(page.Find("form#sign"));
        var email = $"paused-{Guid.NewGuid():N}@example.test";
        var refused = await signer.SubmitAsync(staleForm, new SignFormBuilder().WithEmail(email).Build());
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains(Paused, refused.Html, StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.Email == email)));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.ToAddress == email)));

        var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services));
        Assert.Equal((AuditAction.PauseSigning, AuditTarget.Petition, moderator.Id, petition.Id, "Scripted run from one range"),
            (audit.Action, audit.TargetKind, audit.ActorId, audit.PetitionId, audit.Reason));

        review = await mod.GetAsync($"/admin/petitions/{petition.Slug}");
        Assert.Equal(HttpStatusCode.Redirect, (await mod.SubmitAsync(review.Form($"form[action='/admin/petitions/{petition.Slug}/resume-signing']"), [])).Status);
        Assert.Null((await ModerationArrange.ReloadAsync(App.Services, petition.Id)).SigningPausedAt);
        Assert.Equal(HttpStatusCode.Redirect, (await signer.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email))).Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.Email == email)));
        Assert.Equal(AuditAction.ResumeSigning, (await ModerationArrange.AuditAsync(App.Services))[^1].Action);
    }

    [Fact]
    public async Task Pausing_without_a_reason_is_refused_next_to_the_field()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator);
        using var mod = await App.LoggedInVisitorAsync(moderator);
        var review = await mod.GetAsync($"/admin/petitions/{petition.Slug}");
        var refused = await mod.SubmitAsync(review.Form($"form[action='/admin/petitions/{petition.Slug}/pause-signing']"), [new("pauseReason", " ")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Say why signing is paused", refused.Text("#PauseReason-error"), StringComparison.Ordinal);
        Assert.Null((await ModerationArrange.ReloadAsync(App.Services, petition.Id)).SigningPausedAt);
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }

    [Fact]
    public async Task A_site_wide_pause_stops_every_petition_until_it_is_lifted()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        await ModerationArrange.ForgetCachedPagesAsync(App.Services);
        using var signer = App.CreateVisitor();
        var staleForm = (await signer.GetAsync($"/p/{petition.Slug}")).Form("form#sign");
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var browser = await App.LoggedInVisitorAsync(admin);
        try
        {
            var home = await browser.GetAsync("/admin");
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(home.Form("form[action='/admin/pause-signing']"), [new("pauseReason", "Bot wave")])).Status);

            Assert.Contains(Paused, (await signer.GetAsync($"/p/{petition.Slug}")).Text(".signing-paused"), StringComparison.Ordinal);
            var email = $"sitewide-{Guid.NewGuid():N}@example.test";
            Assert.Equal(HttpStatusCode.Conflict, (await signer.SubmitAsync(staleForm, new SignFormBuilder().WithEmail(email).Build())).Status);
            Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.Email == email)));
            var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services));
            Assert.Equal((AuditAction.PauseSigning, AuditTarget.Site, "Bot wave"), (audit.Action, audit.TargetKind, audit.Reason));

            home = await browser.GetAsync("/admin");
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(home.Form("form[action='/admin/resume-signing']"), [])).Status);
            Assert.NotNull((await signer.GetAsync($"/p/{petition.Slug}")).Find("form#sign"));
            Assert.Equal(HttpStatusCode.Redirect, (await signer.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email))).Status);
        }
        finally
        {
            await App.WithDbAsync(db => db.SiteSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.SigningPausedAt, (DateTimeOffset?)null)));
        }
    }
}
