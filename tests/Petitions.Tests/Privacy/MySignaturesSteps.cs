using Petitions.Testing;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;

namespace Petitions.Tests.Privacy;

/// <summary>What a signer does to see their signatures: asks for a link at /my, opens it from the email, and lands on the list.</summary>
internal static class MySignaturesSteps
{
    public static async Task<HtmlPage> OpenListAsync(TestBrowser browser, MailDevClient mailDev, string email)
    {
        await browser.SubmitFormOnAsync("/my", [new("Email", email)]);
        var link = new Uri((await mailDev.WaitForEmailAsync(email, m => m.Subject == "Your link to see your signatures")).SingleLink("/my/open/")).PathAndQuery;
        var ask = await browser.GetAsync(link);
        await browser.SubmitAsync(ask.Form("main form[method=post]"), []);
        return await browser.GetAsync("/my/signatures");
    }
}
