using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Deliveries;

namespace Petitions.Tests.Deliveries;

/// <summary>A logged-in browser and the account behind it.</summary>
public sealed record SignedIn(TestUser User, TestBrowser Browser);

/// <summary>A delivered petition with one recipient whose link token is known to the test.</summary>
public sealed record DeliveredPetition(Petition Petition, Web.Data.Delivery Delivery, DeliveryRecipient Recipient, string Token)
{
    public string Link => $"/d/{Token}";
}

/// <summary>Arranging organizers, petitions they own, signatures in bulk and deliveries, for the delivery tests.</summary>
public static class DeliveryTestKit
{
    public static Task<TestUser> CreateUserAsync(this PetitionsAppFactory app, string name = "Olive Organizer") =>
        new UserBuilder().Named(name).CreateAsync(app.Services);

    /// <summary>A new account (or the configured admin), logged in through the real form from its own visitor address.</summary>
    public static async Task<SignedIn> SignInNewUserAsync(this PetitionsAppFactory app, string name = "Olive Organizer", bool admin = false)
    {
        var user = admin ? await UserBuilder.CreateAdminAsync(app.Services) : await app.CreateUserAsync(name);
        return new SignedIn(user, await app.LoggedInVisitorAsync(user));
    }

    /// <summary>Saves the petition with <paramref name="owner"/> as its owner.</summary>
    public static async Task<Petition> CreateOwnedAsync(this PetitionBuilder builder, PetitionsAppFactory app, TestUser? owner)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var petition = builder.Build();
        petition.OwnerId = owner?.Id;
        await app.WithDbAsync(async db =>
        {
            db.Petitions.Add(petition);
            await db.SaveChangesAsync();
        });
        return petition;
    }

    /// <summary>The confirmed signatures a petition needs before it can be delivered (Delivery__MinimumSignatures, by default).</summary>
    public const int MinimumSignatures = 5;

    /// <summary>Saves the petition with an owner and just enough confirmed signatures to be delivered.</summary>
    public static async Task<Petition> CreateDeliverableAsync(this PetitionBuilder builder, PetitionsAppFactory app, TestUser? owner)
    {
        var petition = await builder.CreateOwnedAsync(app, owner);
        await app.AddConfirmedSignaturesAsync(petition.Id, MinimumSignatures, DateTimeOffset.UtcNow.AddMinutes(-1));
        return petition;
    }

    /// <summary>Adds signatures built by <paramref name="configure"/>; <c>EmailUpdates</c> can be set on the built entity.</summary>
    public static async Task<Signature> AddSignatureAsync(this PetitionsAppFactory app, long petitionId, Func<SignatureBuilder, SignatureBuilder> configure,
        bool emailUpdates = false, bool unsubscribed = false)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var signature = configure(new SignatureBuilder(petitionId)).Build();
        signature.EmailUpdates = emailUpdates;
        signature.UnsubscribedAt = unsubscribed ? DateTimeOffset.UtcNow.AddMinutes(-1) : null;
        await app.WithDbAsync(async db =>
        {
            db.Signatures.Add(signature);
            await db.SaveChangesAsync();
        });
        return signature;
    }

    /// <summary>
    /// Inserts <paramref name="count"/> confirmed signatures in one statement, named "Signer 1" to "Signer N" in the order
    /// of their confirmation, all confirmed before <paramref name="confirmedBefore"/>.
    /// </summary>
    public static async Task AddConfirmedSignaturesAsync(this PetitionsAppFactory app, long petitionId, int count, DateTimeOffset confirmedBefore, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        await new BulkSignatures
        {
            Country = "(ARRAY['GB','FR','DE','US'])[1 + i % 4]",
            Reason = "$4",
            ShowPublicly = "i % 3 <> 0",
            CreatedAt = "$3 - make_interval(secs => $2 - i + 1)",
            ConfirmedAt = "$3 - make_interval(secs => $2 - i + 1)",
        }.InsertAsync(app.ConnectionString, petitionId, count,
            new NpgsqlParameter<DateTimeOffset> { TypedValue = confirmedBefore.ToUniversalTime() },
            new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    /// <summary>Records a delivery to one recipient directly, with a link token the test knows.</summary>
    public static async Task<DeliveredPetition> DeliverDirectlyAsync(this PetitionsAppFactory app, Petition petition, DateTimeOffset deliveredAt,
        string recipientName = "Cllr Jane Porter", string? recipientTitle = "Chair, Transport Committee", DateTimeOffset? expiresAt = null, int signatureCount = 0, string language = "en")
    {
        ArgumentNullException.ThrowIfNull(petition);
        var (token, hash) = RecipientTokens.Create();
        var recipient = new DeliveryRecipient
        {
            Name = recipientName,
            TitleOrOrganization = recipientTitle,
            Email = UniqueEmail("recipient"),
            AccessTokenHash = hash,
            AccessExpiresAt = expiresAt ?? deliveredAt.AddDays(30),
        };
        var delivery = new Web.Data.Delivery
        {
            PetitionId = petition.Id,
            DeliveredAt = deliveredAt,
            CoverMessage = "Please act on this petition.",
            SignatureCount = signatureCount,
            Language = language,
            Recipients = { recipient },
        };
        await app.WithDbAsync(async db =>
        {
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
        });
        return new DeliveredPetition(petition, delivery, recipient, token);
    }

    public static string UniqueEmail(string name) => $"{name}-{Guid.NewGuid():N}@example.test";

    public static Task<List<Web.Data.Delivery>> DeliveriesAsync(this PetitionsAppFactory app, long petitionId) =>
        app.WithDbAsync(db => db.Deliveries.AsNoTracking().Include(d => d.Recipients)
            .Where(d => d.PetitionId == petitionId).OrderBy(d => d.Id).ToListAsync());

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>What an organizer does in the browser to deliver a petition.</summary>
public static class DeliverySteps
{
    /// <summary>
    /// Opens the deliver form, ticks the decision makers at the given positions with the given addresses, writes the
    /// cover message and asks for the preview; returns the preview (or the form again, with errors).
    /// </summary>
    public static Task<HtmlPage> PreviewDeliveryAsync(this TestBrowser browser, string slug, string coverMessage, params (int Index, string? Email)[] picks) =>
        browser.PreviewDeliveryInAsync("", slug, coverMessage, picks);

    /// <summary>As <see cref="PreviewDeliveryAsync"/>, on the pages of the language whose prefix is given ("/fa").</summary>
    public static async Task<HtmlPage> PreviewDeliveryInAsync(this TestBrowser browser, string prefix, string slug, string coverMessage, params (int Index, string? Email)[] picks)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var form = await browser.GetAsync($"{prefix}/dashboard/p/{slug}/deliver");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var rows = form.All("input[name$='.DecisionMakerId']").Count;
        var given = new Dictionary<string, string>(StringComparer.Ordinal) { ["Form.CoverMessage"] = coverMessage };
        foreach (var (index, email) in picks)
        {
            given[$"Form.Recipients[{index}].Email"] = email ?? "";
        }

        // As a browser posts it: the form's own fields with ours in place, and for each checkbox "true" when ticked
        // followed by its hidden "false".
        var fields = HtmlPage.FormFields(form.Form("form[action$='/deliver/preview']"))
            .Where(f => !f.Key.EndsWith(".Selected", StringComparison.Ordinal) && !given.ContainsKey(f.Key))
            .Concat(given)
            .ToList();
        for (var i = 0; i < rows; i++)
        {
            if (picks.Any(p => p.Index == i))
            {
                fields.Add(new($"Form.Recipients[{i}].Selected", "true"));
            }

            fields.Add(new($"Form.Recipients[{i}].Selected", "false"));
        }

        return await browser.PostAsync($"{prefix}/dashboard/p/{slug}/deliver/preview", fields);
    }

    /// <summary>Confirms from the preview page, posting its hidden fields as they are.</summary>
    public static Task<HtmlPage> ConfirmDeliveryAsync(this TestBrowser browser, HtmlPage preview)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(preview);
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        return browser.SubmitAsync(preview.Form("form[action$='/deliver']"), []);
    }

    /// <summary>A token for this signed-in browser, from the log-out form every page has.</summary>
    public static async Task<string> SignedInAntiforgeryTokenAsync(this TestBrowser browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.AntiforgeryToken("form[action='/account/logout']");
    }

    public static async Task<HtmlPage> DeliverAsync(this TestBrowser browser, string slug, string coverMessage, params (int Index, string? Email)[] picks)
    {
        var preview = await browser.PreviewDeliveryAsync(slug, coverMessage, picks);
        Assert.True(preview.Status == HttpStatusCode.OK, $"Preview failed with {preview.Status}: {preview.Title}");
        return await browser.ConfirmDeliveryAsync(preview);
    }
}
