using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Features.Organize;

namespace Petitions.Tests.Signing;

/// <summary>
/// A petition stops taking signatures at its closing date itself, not when the closer next passes (up to 30 s later),
/// and a signature made before that date still confirms afterwards.
/// </summary>
public sealed class ClosingDateTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_AfterClosesAtBeforeTheCloserRuns_Returns409WithMessageAndSavesNothing()
    {
        await using var paused = await PauseCloserAsync();
        var petition = await new PetitionBuilder().WithTitle("Light the towpath")
            .CreateOwnedAsync(App.Services, null, p => p.ClosesAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, new SignFormBuilder());

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("This petition is closed, so it no longer accepts signatures.", page.Text("[role=alert]"));
        Assert.Equal("Light the towpath", page.Text("h1"));
        Assert.Null(page.Find("form#sign"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
        // It was the closing date that refused, not the closer.
        Assert.Equal(PetitionStatus.Open, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.Status).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_SignatureMadeAfterClosesAtWhileStillOpen_Returns409AndConfirmsNothing()
    {
        await using var paused = await PauseCloserAsync();
        var closesAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var petition = await new PetitionBuilder().WithTitle("Save the bandstand")
            .CreateOwnedAsync(App.Services, null, p => p.ClosesAt = closesAt);
        var signature = new SignatureBuilder(petition.Id).Pending().CreatedAt(closesAt.AddMinutes(5));
        await signature.CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/s/confirm/{signature.Token}");

        // The closer will close it as of its closing date; confirming now must agree with that.
        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("This petition has closed", page.Text("h1"));
        Assert.Equal(SignatureState.Pending, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task Confirm_SignatureMadeBeforeClosesAt_ConfirmsBothBeforeAndAfterTheCloserRuns()
    {
        await using var paused = await PauseCloserAsync();
        var closesAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, null, p => p.ClosesAt = closesAt);
        var early = new SignatureBuilder(petition.Id).Pending().CreatedAt(closesAt.AddMinutes(-5));
        var late = new SignatureBuilder(petition.Id).Pending().CreatedAt(closesAt.AddMinutes(-1));
        await SignatureBuilder.CreateManyAsync(App.Services, [early, late]);
        using var browser = App.CreateBrowser();

        var beforeCloser = await browser.GetAsync($"/s/confirm/{early.Token}");
        Assert.Equal(1, await Closer.CloseDueAsync(CancellationToken.None));
        var afterCloser = await browser.GetAsync($"/s/confirm/{late.Token}");

        Assert.Equal(HttpStatusCode.OK, beforeCloser.Status);
        Assert.Equal("Thank you for signing", beforeCloser.Text("h1"));
        Assert.Equal(HttpStatusCode.OK, afterCloser.Status);
        Assert.Equal("Thank you for signing", afterCloser.Text("h1"));
        Assert.Equal(2, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.State == SignatureState.Confirmed)));
    }

    [Fact]
    public async Task Post_BeforeClosesAt_SignsAndTheLinkStillConfirmsOnceTheCloserHasClosedIt()
    {
        await using var paused = await PauseCloserAsync();
        var petition = await new PetitionBuilder().CreateOwnedAsync(App.Services, null, p => p.ClosesAt = DateTimeOffset.UtcNow.AddDays(1));
        var email = UniqueEmail("just-in-time");
        using var browser = App.CreateBrowser();

        var signed = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var link = (await MailDev.WaitForEmailAsync(email)).SingleLink("/s/confirm/");
        // The closing date arrives just after the signature was made, and the closer closes the petition.
        await App.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE petitions SET closes_at = (SELECT created_at FROM signatures) + interval '1 millisecond' WHERE id = {petition.Id}"));
        Assert.Equal(1, await Closer.CloseDueAsync(CancellationToken.None));

        var page = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Thank you for signing", page.Text("h1"));
        Assert.Equal(SignatureState.Confirmed, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));
    }

    private ClosingWorker Closer => App.Services.GetRequiredService<ClosingWorker>();

    /// <summary>Stops the app's own closer, so a petition past its closing date stays Open until the test closes it.</summary>
    private async Task<IAsyncDisposable> PauseCloserAsync()
    {
        await Closer.StopAsync(CancellationToken.None);
        return new Resume(Closer);
    }

    private sealed class Resume(IHostedService service) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await service.StartAsync(CancellationToken.None);
    }
}
