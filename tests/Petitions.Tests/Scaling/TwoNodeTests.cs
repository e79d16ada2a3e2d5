using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Scaling;

/// <summary>
/// The site as N identical nodes on one database (issue 14 part 4): whatever one node starts, the other can finish,
/// and the shared work (counting, sending) happens exactly once.
/// </summary>
public sealed class TwoNodeTests(TwoNodes nodes) : IClassFixture<TwoNodes>, IDisposable
{
    private readonly MailDevClient mailDev = new(TestEnvironment.MailDevUrl);

    [Fact]
    public async Task Sign_OnNodeAThenConfirmOnNodeB_IsCountedOnceAndShownByBothNodes()
    {
        var petition = await new PetitionBuilder().CreateAsync(nodes.Services);
        var cookies = new CookieContainer();
        using var onA = TwoNodes.Browser(nodes.NodeAUrl, cookies);
        using var onB = TwoNodes.Browser(nodes.NodeBUrl, cookies);
        var email = UniqueEmail();

        var signed = await onA.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var link = (await mailDev.WaitForEmailAsync(email)).SingleLink("/s/confirm/");
        Assert.StartsWith(nodes.BalancedUrl.ToString(), link, StringComparison.Ordinal);
        var confirmed = await onB.GetAsync(TwoNodes.PathOf(link));

        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal(1, await onA.WaitForShownCountAsync(petition.Slug, 1));
        Assert.Equal(1, await onB.WaitForShownCountAsync(petition.Slug, 1));
        Assert.Equal(1, await CountedAsync(petition.Id));
    }

    [Fact]
    public async Task Organizer_LogsInOnNodeAAndClosesOnNodeB_SigningStopsOnNodeAAtOnce()
    {
        var petition = await new PetitionBuilder().CreateAsync(nodes.Services);
        var cookies = new CookieContainer();
        using var onA = TwoNodes.Browser(nodes.NodeAUrl, cookies);
        using var onB = TwoNodes.Browser(nodes.NodeBUrl, cookies);
        using var supporterOnA = TwoNodes.Browser(nodes.NodeAUrl, new CookieContainer());
        var token = await supporterOnA.AntiforgeryTokenAsync(petition.Slug);

        var login = await onA.SubmitLoginAsync(TwoNodes.AdminEmail, TwoNodes.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        var closed = await onB.ClosePetitionAsync(petition.Slug, "We reached the council, so we are closing.");
        var refused = await supporterOnA.PostAsync($"/p/{petition.Slug}/sign", new SignFormBuilder().WithEmail(UniqueEmail()).Build(token));

        Assert.Equal(HttpStatusCode.Redirect, closed.Status);
        Assert.Equal(PetitionStatus.Closed, await WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(0, await WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == petition.Id)));
    }

    [Fact]
    public async Task Signing_OnBothNodesWhileSmtpIsDown_SendsEveryEmailExactlyOnceWhenItIsBack()
    {
        var petition = await new PetitionBuilder().CreateAsync(nodes.Services);
        var emails = Enumerable.Range(0, 10).Select(_ => UniqueEmail("down")).ToList();
        await nodes.StopSmtpAsync();
        try
        {
            for (var i = 0; i < emails.Count; i++)
            {
                using var browser = TwoNodes.Browser(i % 2 == 0 ? nodes.NodeAUrl : nodes.NodeBUrl, new CookieContainer());
                Assert.Equal(HttpStatusCode.Redirect, (await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(emails[i]))).Status);
            }

            await Eventually.TrueAsync(
                async () => await WithDbAsync(db => db.OutboxMessages.CountAsync(m => emails.Contains(m.ToAddress) && m.Attempts > 0 && m.SentAt == null)) == emails.Count,
                "every email was tried and refused while SMTP was down");
        }
        finally
        {
            nodes.StartSmtp();
        }

        await Eventually.TrueAsync(
            async () => await WithDbAsync(db => db.OutboxMessages.CountAsync(m => emails.Contains(m.ToAddress) && m.SentAt != null)) == emails.Count,
            "every email is marked sent once SMTP is back",
            TimeSpan.FromSeconds(60));
        foreach (var email in emails)
        {
            Assert.Single(await mailDev.ListToAsync(email));
        }
    }

    [Fact]
    public async Task Confirmations_SpreadOverBothNodes_AreCountedExactly()
    {
        var petition = await new PetitionBuilder().CreateAsync(nodes.Services);
        var emails = Enumerable.Range(0, 16).Select(_ => UniqueEmail("spread")).ToList();
        await Task.WhenAll(emails.Select(async (email, i) =>
        {
            using var browser = TwoNodes.Browser(i % 2 == 0 ? nodes.NodeAUrl : nodes.NodeBUrl, new CookieContainer());
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email))).Status);
        }));

        await Task.WhenAll(emails.Select(async (email, i) =>
        {
            var link = (await mailDev.WaitForEmailAsync(email)).SingleLink("/s/confirm/");
            using var browser = TwoNodes.Browser(i % 2 == 0 ? nodes.NodeBUrl : nodes.NodeAUrl, new CookieContainer());
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(TwoNodes.PathOf(link))).Status);
        }));

        using var visitor = TwoNodes.Browser(nodes.BalancedUrl, new CookieContainer());
        Assert.Equal(emails.Count, await visitor.WaitForShownCountAsync(petition.Slug, emails.Count));
        Assert.Equal(emails.Count, await CountedAsync(petition.Id));
    }

    private Task<int> CountedAsync(long petitionId) =>
        WithDbAsync(db => db.Petitions.Where(p => p.Id == petitionId).Select(p => p.SignatureCount).SingleAsync());

    private async Task<T> WithDbAsync<T>(Func<PetitionsDbContext, Task<T>> work)
    {
        await using var scope = nodes.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PetitionsDbContext>());
    }

    public void Dispose() => mailDev.Dispose();

    private static string UniqueEmail(string name = "signer") => $"{name}-{Guid.NewGuid():N}@example.test";
}
