using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Organize;

/// <summary>Petitions started at the same moment with the same title each get their own address.</summary>
public sealed class StartConcurrencyTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Start_SameTitleConcurrently_EachGetsTheNextFreeSlug()
    {
        const int starters = 10;
        var title = $"Save the library {Guid.NewGuid().ToString("N")[..8]}";
        var browsers = new List<TestBrowser>();
        try
        {
            for (var i = 0; i < starters; i++)
            {
                browsers.Add(await App.LoggedInVisitorAsync(await new UserBuilder().CreateAsync(App.Services)));
            }

            // Every form is open first, so that the posts arrive together.
            var forms = await Task.WhenAll(browsers.Select(b => b.GetAsync("/start")));
            var fields = new PetitionFormBuilder().WithTitle(title).Build();

            var results = await Task.WhenAll(browsers.Select((b, i) => b.SubmitAsync(forms[i].Form(OrganizeSteps.StartForm), fields)));

            Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.Redirect, $"Expected a redirect, got {(int)r.Status}: {r.Title}"));
            var baseSlug = title.ToLowerInvariant().Replace(' ', '-');
            var expected = new[] { baseSlug }.Concat(Enumerable.Range(2, starters - 1).Select(n => $"{baseSlug}-{n}")).Order().ToList();
            Assert.Equal(expected, results.Select(r => r.Location!.OriginalString.Split('/')[3]).Order().ToList());
            Assert.Equal(expected, (await App.WithDbAsync(db => db.Petitions.Select(p => p.Slug).ToListAsync())).Order().ToList());
            // Each petition has its starter's signature, and no half-saved petition was left behind.
            Assert.Equal(starters, await App.WithDbAsync(db => db.Signatures.CountAsync()));
            Assert.Equal(starters, await App.WithDbAsync(db => db.DecisionMakers.CountAsync()));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }
}
