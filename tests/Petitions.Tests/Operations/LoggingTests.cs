using System.Net;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Features.Signing;

namespace Petitions.Tests.Operations;

/// <summary>Logs never hold email addresses or confirmation tokens. The app's Serilog pipeline writes into <see cref="LogCapture"/>.</summary>
public sealed class LoggingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task SignAndConfirm_Logs_HoldNoEmailAddressOrToken()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = UniqueEmail("private.person");
        var local = email[..email.IndexOf('@', StringComparison.Ordinal)];
        using var browser = App.CreateBrowser();

        var signed = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var link = (await MailDev.WaitForEmailAsync(email)).SingleLink("/s/confirm/");
        var token = link[(link.LastIndexOf('/') + 1)..];
        Assert.True(Tokens.LooksValid(token));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).Status);
        var unknownToken = Tokens.Create().Token;
        var invalid = await browser.GetAsync($"/s/confirm/{unknownToken}");
        Assert.Equal(HttpStatusCode.NotFound, invalid.Status);
        // Both requests are logged, by route template instead of path.
        await Eventually.TrueAsync(
            () => Task.FromResult(App.Logs.Events.Count(e => LogCapture.Render(e).Contains("confirm/{token}", StringComparison.Ordinal)) >= 2),
            "both confirm requests are logged");

        var logs = App.Logs.RenderAll();
        Assert.Contains($"/p/{petition.Slug}/sign", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(local, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString(email), logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(unknownToken, logs, StringComparison.Ordinal);
    }
}
