using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Admin;

namespace Petitions.Tests.Admin;

public sealed class ModerationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Title = "Save the quokkanest meadow from the bypass";

    [Fact]
    public async Task A_hidden_petition_answers_410_leaves_every_listing_at_once_and_keeps_its_signatures_and_dashboard()
    {
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services, title: Title);
        await new SignatureBuilder(petition.Id).Named("Ada Lovelace").Confirmed().CreateAsync(App.Services);
        await ModerationArrange.ForgetCachedPagesAsync(App.Services);
        using var stranger = App.CreateVisitor();
        // Warm every cache first, so "at once" means the cached copies were forgotten.
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/p/{petition.Slug}")).Status);
        Assert.Contains(Title, (await stranger.GetAsync("/petitions")).Html, StringComparison.Ordinal);
        // Search highlights the words it matched, so look for the link rather than the title.
        Assert.NotNull((await stranger.GetAsync("/search?q=quokkanest")).Find($"a[href='/p/{petition.Slug}']"));
        Assert.Contains(Title, (await stranger.GetAsync("/")).Html, StringComparison.Ordinal);
        Assert.Contains(Title, (await stranger.GetAsync("/petitions.json")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/p/{petition.Slug}.json")).Status);

        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator);
        using var mod = await App.LoggedInVisitorAsync(moderator);
        var done = await mod.DecideAsync(petition.Slug, "hide", "Defamatory", "It names a private person.");
        Assert.Equal(HttpStatusCode.Redirect, done.Status);

        var gone = await stranger.GetAsync($"/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.Contains("removed by the moderators", gone.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Title, gone.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Title, (await stranger.GetAsync("/petitions")).Html, StringComparison.Ordinal);
        Assert.Null((await stranger.GetAsync("/search?q=quokkanest")).Find($"a[href='/p/{petition.Slug}']"));
        Assert.DoesNotContain(Title, (await stranger.GetAsync("/")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Title, (await stranger.GetAsync("/petitions.json")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/p/{petition.Slug}.json")).Status);

        var stored = await ModerationArrange.ReloadAsync(App.Services, petition.Id);
        Assert.Equal(PetitionStatus.Hidden, stored.Status);
        Assert.Equal(PetitionStatus.Open, stored.StatusBeforeHidden);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)));

        using var ownerBrowser = await App.LoggedInVisitorAsync(owner);
        var dashboard = await ownerBrowser.GetAsync($"/dashboard/p/{petition.Slug}");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("removed this petition", dashboard.Text(".moderation-notice"), StringComparison.Ordinal);
        Assert.Contains("It is defamatory", dashboard.Text(".moderation-notice"), StringComparison.Ordinal);

        var email = await MailDev.WaitForEmailAsync(owner.Email, m => m.Subject.Contains("removed", StringComparison.Ordinal));
        Assert.Contains("It is defamatory", email.Text, StringComparison.Ordinal);
        Assert.Contains("It names a private person.", email.Text, StringComparison.Ordinal);
        Assert.Contains("It is defamatory", email.Html, StringComparison.Ordinal);

        var audit = Assert.Single(await ModerationArrange.AuditAsync(App.Services));
        Assert.Equal((AuditAction.Hide, AuditTarget.Petition, moderator.Id, petition.Id), (audit.Action, audit.TargetKind, audit.ActorId, audit.PetitionId));
        Assert.Equal("Defamatory: It names a private person.", audit.Reason);
    }

    [Fact]
    public async Task Restoring_brings_a_hidden_petition_back_as_it_was_and_tells_the_owner()
    {
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services, title: Title);
        var moderator = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var mod = await App.LoggedInVisitorAsync(moderator);
        await mod.DecideAsync(petition.Slug, "hide", "Spam");
        using var stranger = App.CreateVisitor();
        Assert.Equal(HttpStatusCode.Gone, (await stranger.GetAsync($"/p/{petition.Slug}")).Status);

        Assert.Equal(HttpStatusCode.Redirect, (await mod.DecideAsync(petition.Slug, "restore")).Status);

        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/p/{petition.Slug}")).Status);
        Assert.Contains(Title, (await stranger.GetAsync("/petitions")).Html, StringComparison.Ordinal);
        var stored = await ModerationArrange.ReloadAsync(App.Services, petition.Id);
        Assert.Equal((PetitionStatus.Open, (PetitionStatus?)null), (stored.Status, stored.StatusBeforeHidden));
        await MailDev.WaitForEmailAsync(owner.Email, m => m.Subject.Contains("is back", StringComparison.Ordinal));
        Assert.Equal([AuditAction.Hide, AuditAction.Restore], (await ModerationArrange.AuditAsync(App.Services)).Select(a => a.Action));
    }

    [Fact]
    public async Task Hiding_without_a_reason_shows_the_error_and_changes_nothing()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));

        var page = await mod.DecideAsync(petition.Slug, "hide", "", "my own words");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Contains("Choose a reason", AccountSteps.ErrorSummary(page), StringComparison.Ordinal);
        Assert.Equal("my own words", page.One($"form[action='/admin/petitions/{petition.Slug}/hide'] textarea").TextContent.Trim());
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }

    [Fact]
    public async Task Other_needs_the_moderators_words()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));

        var page = await mod.DecideAsync(petition.Slug, "hide", "Other");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Say what the other reason is", AccountSteps.ErrorSummary(page), StringComparison.Ordinal);
        Assert.Equal(PetitionStatus.Open, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
    }

    [Fact]
    public async Task Pre_moderation_sends_a_published_petition_to_the_queue_and_approval_opens_it()
    {
        await using var site = App.WithSettings(("Moderation:Mode", "PreModeration"));
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(site.Services, PetitionStatus.Draft, Title);
        using var ownerBrowser = site.CreateVisitor();
        await ownerBrowser.LogInAsync(owner);
        var preview = await ownerBrowser.GetAsync($"/dashboard/p/{petition.Slug}/preview");
        var published = await ownerBrowser.SubmitAsync(preview.Form($"form[action='/dashboard/p/{petition.Slug}/publish']"), []);

        Assert.Equal($"/dashboard/p/{petition.Slug}", published.PathAndQuery());
        Assert.Equal(PetitionStatus.AwaitingModeration, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
        Assert.Contains("Awaiting moderation", (await ownerBrowser.GetAsync($"/dashboard/p/{petition.Slug}")).Text(".moderation-notice"), StringComparison.Ordinal);
        using var stranger = site.CreateVisitor();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/p/{petition.Slug}")).Status);
        Assert.DoesNotContain(Title, (await stranger.GetAsync("/petitions")).Html, StringComparison.Ordinal);

        using var mod = site.CreateVisitor();
        await mod.LogInAsync(await ModerationArrange.CreateWithRoleAsync(site.Services, AdminRoles.Moderator));
        var home = await mod.GetAsync("/admin");
        Assert.Equal("1", home.Text("[data-count=queue]"));
        Assert.Contains(Title, home.Html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await mod.DecideAsync(petition.Slug, "approve")).Status);

        var stored = await ModerationArrange.ReloadAsync(App.Services, petition.Id);
        Assert.Equal(PetitionStatus.Open, stored.Status);
        Assert.NotNull(stored.PublishedAt);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/p/{petition.Slug}")).Status);
        await MailDev.WaitForEmailAsync(owner.Email, m => m.Subject.Contains("is live", StringComparison.Ordinal));
        Assert.Equal(AuditAction.Approve, Assert.Single(await ModerationArrange.AuditAsync(App.Services)).Action);
    }

    [Fact]
    public async Task A_rejected_petition_can_be_edited_and_sent_back_to_the_moderators()
    {
        var (petition, owner) = await ModerationArrange.CreateOwnedAsync(App.Services, PetitionStatus.AwaitingModeration, Title);
        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));

        Assert.Equal(HttpStatusCode.Redirect, (await mod.DecideAsync(petition.Slug, "reject", "Duplicate", "See the other meadow petition.")).Status);

        var rejected = await ModerationArrange.ReloadAsync(App.Services, petition.Id);
        Assert.Equal((PetitionStatus.Rejected, ModerationReason.Duplicate), (rejected.Status, rejected.ModerationReason));
        var email = await MailDev.WaitForEmailAsync(owner.Email, m => m.Subject.Contains("not approved", StringComparison.Ordinal));
        Assert.Contains("It duplicates another petition", email.Text, StringComparison.Ordinal);
        Assert.Contains("See the other meadow petition.", email.Text, StringComparison.Ordinal);

        using var ownerBrowser = await App.LoggedInVisitorAsync(owner);
        Assert.Contains("did not approve", (await ownerBrowser.GetAsync($"/dashboard/p/{petition.Slug}")).Text(".moderation-notice"), StringComparison.Ordinal);
        var preview = await ownerBrowser.GetAsync($"/dashboard/p/{petition.Slug}/preview");
        var resubmitted = await ownerBrowser.SubmitAsync(preview.Form($"form[action='/dashboard/p/{petition.Slug}/publish']"), []);

        Assert.Equal(HttpStatusCode.Redirect, resubmitted.Status);
        Assert.Equal(PetitionStatus.AwaitingModeration, (await ModerationArrange.ReloadAsync(App.Services, petition.Id)).Status);
    }

    [Fact]
    public async Task Approving_a_petition_that_is_already_open_is_refused_and_changes_nothing()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));
        var token = await mod.AntiforgeryTokenAsync();

        var page = await mod.PostAsync($"/admin/petitions/{petition.Slug}/approve", [new(TestBrowser.AntiforgeryField, token)]);

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Empty(await ModerationArrange.AuditAsync(App.Services));
    }

    [Fact]
    public async Task A_moderator_hides_one_supporters_name_and_reason_and_the_signature_still_counts()
    {
        var (petition, _) = await ModerationArrange.CreateOwnedAsync(App.Services);
        var signature = await new SignatureBuilder(petition.Id).Named("Rude Person").WithReason("something nasty").Confirmed().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Kind Person").Confirmed().CreateAsync(App.Services);
        using var stranger = App.CreateVisitor();
        Assert.Contains("Rude Person", (await stranger.GetAsync($"/p/{petition.Slug}")).Html, StringComparison.Ordinal);
        using var mod = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator));

        var review = await mod.GetAsync($"/admin/petitions/{petition.Slug}");
        var hidden = await mod.SubmitAsync(review.Form($"form[action='/admin/signatures/{signature.Id}/hide-public']"), []);

        Assert.Equal(HttpStatusCode.Redirect, hidden.Status);
        var page = await stranger.GetAsync($"/p/{petition.Slug}");
        Assert.DoesNotContain("Rude Person", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("something nasty", page.Html, StringComparison.Ordinal);
        Assert.Contains("Kind Person", page.Html, StringComparison.Ordinal);
        Assert.Equal(SignatureState.Confirmed, (await App.WithDbAsync(db => db.Signatures.SingleAsync(s => s.Id == signature.Id))).State);
        Assert.Equal(AuditAction.HideSupporter, Assert.Single(await ModerationArrange.AuditAsync(App.Services)).Action);
    }
}
