using System.Net;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;

namespace Petitions.Tests.Signing;

/// <summary>
/// Signing renders no email: the outbox row holds the confirmation's model and language, with no subject or bodies,
/// and the outbox worker renders it as it sends, in the signer's language, once.
/// </summary>
public sealed class DeferredConfirmationEmailTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Theory]
    [InlineData("en", "Confirm your signature: Plant trees on Mill Road", "Dear Grace Hopper,")]
    [InlineData("fa", "امضایتان را تأیید کنید: Plant trees on Mill Road", "Grace Hopper گرامی،")]
    public async Task Sign_RowHoldsTheModelNotTheBodies_AndTheEmailArrivesOnceInTheSignersLanguage(string language, string subject, string greeting)
    {
        var petition = await new PetitionBuilder().WithTitle("Plant trees on Mill Road").CreateAsync(App.Services);
        var email = UniqueEmail("deferred");
        var prefix = language == "en" ? "" : "/" + language;
        var paused = await App.PauseOutboxWorkerAsync();
        OutboxRow queued;
        try
        {
            using var browser = App.CreateBrowser();
            var page = await browser.GetAsync($"{prefix}/p/{petition.Slug}");
            var response = await browser.SubmitAsync(page.Form("form#sign"), new SignFormBuilder().WithFullName("Grace Hopper").WithEmail(email).Build());
            Assert.Equal(HttpStatusCode.Redirect, response.Status);

            queued = Assert.Single(await RowsAsync());
        }
        finally
        {
            await paused.DisposeAsync();
        }

        Assert.Equal("confirm-signature", queued.Kind);
        Assert.Null(queued.SentAt);
        Assert.Null(queued.HtmlBody);
        Assert.Null(queued.TextBody);
        Assert.Equal("", queued.Subject);
        Assert.Equal(language, queued.Language);
        Assert.Contains("\"Grace Hopper\"", queued.ModelJson, StringComparison.Ordinal);
        Assert.Contains($"{PetitionsAppFactory.BaseUrl}{prefix}/s/confirm/", queued.ModelJson, StringComparison.Ordinal);

        var message = await MailDev.WaitForEmailAsync(email);
        Assert.Equal(subject, message.Subject);
        Assert.Contains(greeting, message.Text, StringComparison.Ordinal);
        Assert.Contains("Plant trees on Mill Road", message.Html, StringComparison.Ordinal);
        Assert.StartsWith($"{PetitionsAppFactory.BaseUrl}{prefix}/s/confirm/", message.SingleLink($"{prefix}/s/confirm/"), StringComparison.Ordinal);
        Assert.StartsWith($"{PetitionsAppFactory.BaseUrl}{prefix}/s/withdraw/", message.SingleLink($"{prefix}/s/withdraw/"), StringComparison.Ordinal);

        await App.WaitForOutboxDrainedAsync();
        var sent = Assert.Single(await RowsAsync());
        Assert.NotNull(sent.SentAt);
        Assert.Null(sent.ModelJson);
        Assert.Null(sent.HtmlBody);
        Assert.Equal(subject, sent.Subject);
        // Once: a second look after the row is marked sent finds the same single message.
        Assert.Single(await MailDev.ListToAsync(email));

        // The link the worker rendered confirms the signature.
        using var confirmer = App.CreateBrowser();
        var thanks = await confirmer.GetAsync(new Uri(message.SingleLink($"{prefix}/s/confirm/")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Equal(language, thanks.One("html").GetAttribute("lang"));
    }

    private sealed record OutboxRow(string Kind, string Subject, string? HtmlBody, string? TextBody, string? ModelJson, string? Language, DateTime? SentAt);

    // Raw reads, so the test sees exactly what the table holds.
    private async Task<List<OutboxRow>> RowsAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT kind, subject, html_body, text_body, model_json::text, language, sent_at FROM outbox_messages ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDateTime(6)));
        }

        return rows;
    }
}
