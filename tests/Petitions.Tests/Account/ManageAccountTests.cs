using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Account;

/// <summary>The account page, changing the password, and deleting the account while its petitions stay up.</summary>
public sealed class ManageAccountTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string NewPassword = "a brand new long passphrase";

    [Theory]
    [InlineData("/account")]
    [InlineData("/account/change-password")]
    [InlineData("/account/delete")]
    public async Task Get_Anonymous_RedirectsToLogin(string path)
    {
        using var browser = App.CreateVisitor();

        AccountSteps.AssertRedirectsToLogin(await browser.GetAsync(path), path);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ShowsErrorAndKeepsThePassword()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await ChangePasswordAsync(browser, "not my password at all", NewPassword, NewPassword);

        AssertFieldError(page, "Error: Change your password", "CurrentPassword", "Your current password is wrong");
        Assert.Equal("", page.One("#CurrentPassword").GetAttribute("value"));
        Assert.Equal("", page.One("#NewPassword").GetAttribute("value"));
        await AssertPasswordAsync(user, works: user.Password, fails: NewPassword);
    }

    [Theory]
    [InlineData("", NewPassword, NewPassword, "CurrentPassword", "Enter your current password")]
    [InlineData(UserBuilder.DefaultPassword, "", "", "NewPassword", "Enter a password")]
    [InlineData(UserBuilder.DefaultPassword, "too short", "too short", "NewPassword", "Password must be 10 characters or more")]
    [InlineData(UserBuilder.DefaultPassword, NewPassword, NewPassword + "!", "ConfirmPassword", "Passwords do not match")]
    public async Task ChangePassword_InvalidField_ShowsErrorOnThatField(string current, string next, string confirm, string field, string message)
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await ChangePasswordAsync(browser, current, next, confirm);

        AssertFieldError(page, "Error: Change your password", field, message);
        await AssertPasswordAsync(user, works: user.Password, fails: NewPassword);
    }

    [Fact]
    public async Task ChangePassword_Valid_ChangesItAndStaysLoggedIn()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await ChangePasswordAsync(browser, user.Password, NewPassword, NewPassword);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Your password has been changed", page.Text("h1"));
        Assert.True(await browser.IsLoggedInAsync());
        await AssertPasswordAsync(user, works: NewPassword, fails: user.Password);
    }

    [Fact]
    public async Task Delete_WrongPassword_ShowsErrorAndKeepsTheAccount()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await DeleteAsync(browser, "not my password at all");

        AssertFieldError(page, "Error: Delete your account", "Password", "Your password is wrong");
        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync(u => u.Id == user.Id)));
        Assert.True(await browser.IsLoggedInAsync());
    }

    [Fact]
    public async Task Delete_NoPassword_ShowsErrorAndKeepsTheAccount()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await DeleteAsync(browser, "");

        AssertFieldError(page, "Error: Delete your account", "Password", "Enter your password to confirm");
        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync(u => u.Id == user.Id)));
    }

    [Fact]
    public async Task Delete_RightPassword_DeletesTheUserLogsOutAndKeepsTheirPetitionsUp()
    {
        var user = await new UserBuilder().Named("Jo Bloggs").CreateAsync(App.Services);
        var someoneElse = await new UserBuilder().CreateAsync(App.Services);
        var open = await new PetitionBuilder().WithTitle("Keep the library open").StartedBy("Friends of the Library").CreateOwnedAsync(App.Services, user.Id);
        var closed = await new PetitionBuilder().Closed().StartedBy("Friends of the Library").CreateOwnedAsync(App.Services, user.Id);
        var draft = await new PetitionBuilder().Draft().StartedBy("Jo Bloggs").CreateOwnedAsync(App.Services, user.Id);
        var notTheirs = await new PetitionBuilder().CreateOwnedAsync(App.Services, someoneElse.Id);
        await new SignatureBuilder(open.Id).Confirmed().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(user);

        var page = await DeleteAsync(browser, user.Password);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Your account has been deleted", page.Text("h1"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync(u => u.Id == user.Id)));
        Assert.False(await browser.IsLoggedInAsync());

        var petitions = await App.WithDbAsync(db => db.Petitions.AsNoTracking().OrderBy(p => p.Id).ToListAsync());
        Assert.Equal(4, petitions.Count);
        Assert.All(petitions.Where(p => p.Id != notTheirs.Id), p => Assert.Null(p.OwnerId));
        Assert.Equal(someoneElse.Id, petitions.Single(p => p.Id == notTheirs.Id).OwnerId);
        Assert.Equal(
            [(PetitionStatus.Open, "Friends of the Library"), (PetitionStatus.Closed, "Friends of the Library"), (PetitionStatus.Draft, "Jo Bloggs")],
            petitions.Where(p => p.Id != notTheirs.Id).Select(p => (p.Status, p.StarterName)));
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.PetitionId == open.Id)));

        using var visitor = App.CreateVisitor();
        var shown = await visitor.GetAsync($"/p/{open.Slug}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Equal("Keep the library open", shown.Text("h1"));
        Assert.Contains("Friends of the Library started this petition", shown.Text(".starter-line"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/p/{closed.Slug}")).Status);

        // The old password no longer logs anyone in.
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.SubmitLoginAsync(user.Email, user.Password)).Status);
        var preview = $"/dashboard/p/{draft.Slug}/preview";
        AccountSteps.AssertRedirectsToLogin(await browser.GetAsync(preview), preview);
    }

    /// <summary>A session on another device outlives the account; it must end cleanly, not fail with a 500.</summary>
    [Fact]
    public async Task Delete_AnotherSessionOfTheDeletedUser_IsSentToLoginInsteadOfAnError()
    {
        var user = await new UserBuilder().CreateAsync(App.Services);
        using var laptop = await App.LoggedInVisitorAsync(user);
        using var phone = await App.LoggedInVisitorAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await DeleteAsync(laptop, user.Password)).Status);

        var account = await phone.GetAsync("/account");

        AccountSteps.AssertRedirectsToLogin(account, "/account");
    }

    private static async Task<HtmlPage> ChangePasswordAsync(TestBrowser browser, string current, string next, string confirm)
    {
        var page = await browser.GetAsync("/account/change-password");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await browser.SubmitAsync(page.Form("form[action='/account/change-password']"),
            [new("CurrentPassword", current), new("NewPassword", next), new("ConfirmPassword", confirm)]);
    }

    private static async Task<HtmlPage> DeleteAsync(TestBrowser browser, string password)
    {
        var page = await browser.GetAsync("/account/delete");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await browser.SubmitAsync(page.Form("form[action='/account/delete']"), [new("Password", password)]);
    }

    private static void AssertFieldError(HtmlPage page, string titleStart, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith(titleStart, page.Title, StringComparison.Ordinal);
        var links = page.All(".error-summary a");
        Assert.Equal([$"#{field}"], links.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, links[0].TextContent.Trim());
        Assert.Equal($"Error: {message}", page.Text($"#{field}-error"));
    }

    private async Task AssertPasswordAsync(TestUser user, string works, string fails)
    {
        using var other = App.CreateVisitor();
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SubmitLoginAsync(user.Email, fails)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SubmitLoginAsync(user.Email, works)).Status);
    }
}
