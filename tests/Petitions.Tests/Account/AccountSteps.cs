using System.Net;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Account;

/// <summary>What a person does with the account pages, step by step, always through the rendered forms.</summary>
public static class AccountSteps
{
    public const string LoginForm = "form[action='/account/login']";

    /// <summary>Submits the login form; returns the response (a redirect when it worked).</summary>
    public static async Task<HtmlPage> SubmitLoginAsync(this TestBrowser browser, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync(returnUrl is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await browser.SubmitAsync(page.Form(LoginForm), [new("Email", email), new("Password", password)]);
    }

    /// <summary>Logs in through the form and checks it worked.</summary>
    public static async Task LogInAsync(this TestBrowser browser, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await browser.SubmitLoginAsync(user.Email, user.Password);
        Assert.True(result.Status == HttpStatusCode.Redirect, $"Logging in failed with {(int)result.Status}: {ErrorSummary(result)}");
    }

    /// <summary>A visitor's browser, logged in as <paramref name="user"/>.</summary>
    public static async Task<TestBrowser> LoggedInVisitorAsync(this PetitionsAppFactory app, TestUser user)
    {
        var browser = app.CreateVisitor();
        try
        {
            await browser.LogInAsync(user);
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>Whether the browser's session is logged in: the account page is only for logged-in people.</summary>
    public static async Task<bool> IsLoggedInAsync(this TestBrowser browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync("/account");
        Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Redirect, $"GET /account returned {(int)page.Status}");
        if (page.Status == HttpStatusCode.Redirect)
        {
            Assert.Equal("/account/login", page.Location!.AbsolutePath);
        }

        return page.Status == HttpStatusCode.OK;
    }

    /// <summary>An antiforgery token for this browser's current identity, from the form of a page that renders one.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this TestBrowser browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.AntiforgeryToken(LoginForm);
    }

    public static string ErrorSummary(HtmlPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return string.Join(" | ", page.All(".error-summary li").Select(li => HtmlPage.Normalize(li.TextContent)));
    }

    /// <summary>The path and query a redirect goes to, wherever its host.</summary>
    public static string PathAndQuery(this HtmlPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.NotNull(page.Location);
        var location = page.Location.IsAbsoluteUri ? page.Location : new Uri(new Uri(PetitionsAppFactory.BaseUrl), page.Location);
        return location.PathAndQuery;
    }

    /// <summary>Checks the response sends an anonymous visitor to the login page, coming back to <paramref name="returnPath"/>.</summary>
    public static void AssertRedirectsToLogin(HtmlPage page, string returnPath)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"/account/login?ReturnUrl={Uri.EscapeDataString(returnPath)}", page.PathAndQuery());
    }
}
