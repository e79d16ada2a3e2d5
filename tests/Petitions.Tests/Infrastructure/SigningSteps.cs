using System.Globalization;
using System.Net;
using Petitions.Tests.Builders;

namespace Petitions.Tests.Infrastructure;

/// <summary>What a supporter does in the browser, step by step.</summary>
public static class SigningSteps
{
    /// <summary>Opens the petition page and submits its sign form (with the page's antiforgery token) holding <paramref name="form"/>'s values.</summary>
    public static async Task<HtmlPage> SignAsync(this TestBrowser browser, string slug, SignFormBuilder form)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(form);
        var page = await browser.GetAsync($"/p/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await browser.SubmitAsync(page.Form("form#sign"), form.Build());
    }

    /// <summary>
    /// An antiforgery token (and its cookie) for this browser: from the open petition's sign form when signed in (their
    /// page is their own); an anonymous visitor's cached page has none, so theirs comes from the login form.
    /// </summary>
    public static async Task<string> AntiforgeryTokenAsync(this TestBrowser browser, string openPetitionSlug)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync($"/p/{openPetitionSlug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        if (page.Form("form#sign").QuerySelector($"input[name={TestBrowser.AntiforgeryField}]") is not null)
        {
            return page.AntiforgeryToken("form#sign");
        }

        var login = await browser.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return login.AntiforgeryToken("form[action='/account/login']");
    }

    /// <summary>The count the petition page shows, read from its progress bar.</summary>
    public static async Task<int> ShownCountAsync(this TestBrowser browser, string slug)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync($"/p/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return int.Parse(page.One("[role=progressbar]").GetAttribute("aria-valuenow")!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Polls the petition page until it shows <paramref name="expected"/> (the counter runs in batches, and the page is
    /// output-cached for a moment), and returns the last count shown: assert that it equals the expected count.
    /// </summary>
    public static Task<int> WaitForShownCountAsync(this TestBrowser browser, string slug, int expected) =>
        Eventually.ValueAsync(() => browser.ShownCountAsync(slug), count => count == expected);
}
