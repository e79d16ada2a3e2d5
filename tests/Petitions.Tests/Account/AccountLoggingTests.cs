using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;

namespace Petitions.Tests.Account;

/// <summary>Account pages log their requests, never the email addresses, passwords or codes that pass through them.</summary>
public sealed class AccountLoggingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task RegisterConfirmLoginAndReset_Logs_HoldNoEmailPasswordOrCode()
    {
        var email = UniqueEmail("private.organizer");
        var local = email[..email.IndexOf('@', StringComparison.Ordinal)];
        const string Password = "my secret passphrase 1";
        const string NewPassword = "my secret passphrase 2";
        using var browser = App.CreateVisitor();

        var register = await browser.SubmitFormOnAsync("/account/register",
            [new("DisplayName", "Private Organizer"), new("Email", email), new("Password", Password), new("ConfirmPassword", Password)]);
        Assert.Equal(HttpStatusCode.OK, register.Status);
        var confirmLink = (await MailDev.WaitForEmailAsync(email)).SingleLink("/account/confirm");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(confirmLink)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SubmitLoginAsync(email, "a wrong passphrase")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitLoginAsync(email, Password)).Status);
        await browser.SubmitFormOnAsync("/account/forgot-password", [new("Email", email)]);
        var resetLink = (await MailDev.WaitForEmailAsync(email, m => m.Subject != "Confirm your email address")).SingleLink("/account/reset-password");
        var resetForm = await browser.GetAsync(resetLink);
        var reset = await browser.SubmitAsync(resetForm.Form("form[action='/account/reset-password']"), [new("Password", NewPassword), new("ConfirmPassword", NewPassword)]);
        Assert.Equal(HttpStatusCode.OK, reset.Status);
        await Eventually.TrueAsync(
            () => Task.FromResult(App.Logs.RenderAll().Contains("/account/reset-password", StringComparison.Ordinal)),
            "the reset request is logged");

        var logs = App.Logs.RenderAll();
        Assert.Contains("/account/register", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(local, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString(email), logs, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in new[] { Password, NewPassword, "a wrong passphrase", Code(confirmLink), Code(resetLink) })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private static string Code(string link) => QueryHelpers.ParseQuery(new Uri(link).Query)["code"].ToString();
}
