using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Organize;

/// <summary>What an organizer does in the browser, and arrangements for petitions that belong to someone.</summary>
public static class OrganizeSteps
{
    public const string StartForm = "form[action='/start']";

    /// <summary>Saves the built petition with an owner (and any other change <paramref name="tweak"/> makes).</summary>
    public static async Task<Petition> CreateOwnedAsync(this PetitionBuilder builder, IServiceProvider services, string? ownerId, Action<Petition>? tweak = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var petition = builder.Build();
        petition.OwnerId = ownerId;
        tweak?.Invoke(petition);
        db.Petitions.Add(petition);
        await db.SaveChangesAsync();
        return petition;
    }

    /// <summary>Opens /start and submits the form with <paramref name="form"/>'s values; returns the response.</summary>
    public static async Task<HtmlPage> StartAsync(this TestBrowser browser, PetitionFormBuilder form, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(form);
        var page = await browser.GetAsync("/start");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var fields = form.Build().ToList();
        if (command is not null)
        {
            Assert.NotNull(page.Find($"{StartForm} button[name=command][value={command}]"));
            fields.Add(new("command", command));
        }

        return await browser.SubmitAsync(page.Form(StartForm), fields);
    }

    /// <summary>Starts a petition through the form and returns its slug, from the redirect to its preview.</summary>
    public static async Task<string> StartPetitionAsync(this TestBrowser browser, PetitionFormBuilder form)
    {
        var result = await browser.StartAsync(form);
        Assert.True(result.Status == HttpStatusCode.Redirect, $"Starting failed with {(int)result.Status}: {Account.AccountSteps.ErrorSummary(result)}");
        var path = result.Location!.OriginalString;
        Assert.Matches("^/dashboard/p/[a-z0-9-]+/preview$", path);
        return path.Split('/')[3];
    }

    /// <summary>Opens the preview and presses "Publish petition".</summary>
    public static async Task<HtmlPage> PublishAsync(this TestBrowser browser, string slug)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var preview = await browser.GetAsync($"/dashboard/p/{slug}/preview");
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        return await browser.SubmitAsync(preview.Form($"form[action='/dashboard/p/{slug}/publish']"), []);
    }

    /// <summary>Opens a page, checks it is there, and submits its form with <paramref name="fields"/>.</summary>
    public static async Task<HtmlPage> SubmitFormOnAsync(this TestBrowser browser, string path, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync(path);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {path} returned {(int)page.Status}");
        return await browser.SubmitAsync(page.Form($"form[action='{action ?? path}']"), fields);
    }

    public static Task<HtmlPage> PostUpdateAsync(this TestBrowser browser, string slug, string title, string message) =>
        browser.SubmitFormOnAsync($"/dashboard/p/{slug}/updates/new", [new("Form.Title", title), new("Form.Message", message)]);

    public static Task<HtmlPage> ClosePetitionAsync(this TestBrowser browser, string slug, string message) =>
        browser.SubmitFormOnAsync($"/dashboard/p/{slug}/close", [new("Form.Message", message)]);

    public static Task<HtmlPage> DeclareVictoryAsync(this TestBrowser browser, string slug, string message) =>
        browser.SubmitFormOnAsync($"/dashboard/p/{slug}/victory", [new("Form.Message", message)]);

    /// <summary>
    /// The public petition page, once it satisfies <paramref name="shows"/>: anonymous visitors get a page that is
    /// output-cached for a moment, so a change shows a little later. Fails after the timeout.
    /// </summary>
    public static async Task<HtmlPage> WaitForPageAsync(this TestBrowser browser, string slug, Func<HtmlPage, bool> shows, string because)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await Eventually.ValueAsync(() => browser.GetAsync($"/p/{slug}"), shows);
        Assert.True(shows(page), $"Timed out waiting until the page of {slug} {because}");
        return page;
    }

    /// <summary>Waits until the background worker has finished every notification job, and returns them.</summary>
    public static async Task<IReadOnlyList<NotificationJob>> WaitForNotificationJobsAsync(this PetitionsAppFactory app, int count, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var jobs = await Eventually.ValueAsync(
            () => app.WithDbAsync(db => db.NotificationJobs.AsNoTracking().OrderBy(j => j.Id).ToListAsync()),
            all => all.Count >= count && all.All(j => j.CompletedAt is not null),
            timeout);
        Assert.Equal(count, jobs.Count);
        Assert.All(jobs, j => Assert.NotNull(j.CompletedAt));
        return jobs;
    }

    /// <summary>Waits until the outbox worker has sent (or given up on) every message in the outbox.</summary>
    public static async Task WaitForOutboxDrainedAsync(this PetitionsAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await Eventually.TrueAsync(
            () => app.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null || m.FailedAt != null)),
            "the outbox worker has sent every message");
    }
}
