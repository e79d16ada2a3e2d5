using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Organize;

/// <summary>The draft as it will look once published; <paramref name="Status"/> is its real status.</summary>
public sealed record PreviewModel(PetitionPageModel Page, PetitionStatus Status, bool PreModeration)
{
    public bool IsDraft => Status is PetitionStatus.Draft or PetitionStatus.Rejected;
}

public sealed record OutcomeFormModel(Petition Petition, MessageForm Form);

[Authorize]
public sealed class OrganizeController(
    PetitionsDbContext db,
    ManagedPetitions managed,
    PetitionPageQuery pages,
    SupporterNotices notices,
    UserManager<ApplicationUser> users,
    StartPetitionFormValidator startValidator,
    PetitionFormValidator editValidator,
    UpdateFormValidator updateValidator,
    OutcomeMessageValidator outcomeValidator,
    Microsoft.AspNetCore.OutputCaching.IOutputCacheStore pageCache,
    Microsoft.Extensions.Options.IOptions<Moderation.ModerationOptions> moderation,
    TimeProvider clock,
    Domain.Privacy.ProtectedFields protectedFields,
    Localization.Texts t) : Controller
{
    [HttpGet("/start")]
    public async Task<IActionResult> Start()
    {
        var user = await users.GetUserAsync(User);
        var protectByDefault = protectedFields.IsAvailable
            && await db.SiteSettings.AnyAsync(s => s.Id == SiteSettings.SingletonId && s.ProtectNewPetitions);
        return View(new PetitionForm { StarterName = user?.DisplayName, Protected = protectByDefault, Language = HttpContext.Language().Code });
    }

    [HttpPost("/start")]
    public async Task<IActionResult> Start(PetitionForm form, string? command, CancellationToken cancellationToken)
    {
        if (AddedDecisionMakerRow(form, command))
        {
            return View(form);
        }

        if (!ModelState.Validate(startValidator, form))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(form);
        }

        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        form.Protected &= protectedFields.IsAvailable;
        var now = clock.GetUtcNow();
        var petition = new Petition
        {
            Slug = "",
            Title = "",
            Body = "",
            BodyLeadHtml = "",
            StarterName = "",
            OwnerId = user.Id,
            Status = PetitionStatus.Draft,
            CreatedAt = now,
            Language = HttpContext.Language().Code,
        };
        Apply(form, petition);
        db.Petitions.Add(petition);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SaveWithFreeSlugAsync(petition, cancellationToken);

        // The starter's own signature, confirmed when the petition is published.
        var starter = new Domain.Privacy.SignerFields(
            petition.StarterName.Length <= 100 ? petition.StarterName : petition.StarterName[..100], user.Email!, form.StarterPostcodeOrCity?.Trim() ?? "", null);
        var normalized = EmailAddresses.Normalize(user.Email!);
        var stored = petition.Protected
            ? protectedFields.Seal(petition.Id, normalized, starter)
            : new Domain.Privacy.SealedSignerFields(normalized, starter.FullName, starter.Email, starter.PostcodeOrCity, null);
        db.Signatures.Add(new Signature
        {
            PetitionId = petition.Id,
            FullName = stored.FullName,
            Email = stored.Email,
            NormalizedEmail = stored.NormalizedEmail,
            Country = form.StarterCountry!,
            PostcodeOrCity = stored.PostcodeOrCity,
            ShowPublicly = true,
            EmailUpdates = false,
            ShareEmailWithOrganizer = true,
            State = SignatureState.Pending,
            ConfirmationTokenHash = Tokens.Create().Hash,
            CreatedAt = now,
            // The starter's language: the moderators' decision is emailed in it.
            Language = Localization.LanguagePrefix.Language(HttpContext).Code,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Redirect($"/dashboard/p/{petition.Slug}/preview");
    }

    [HttpGet("/dashboard/p/{slug}/preview")]
    public async Task<IActionResult> Preview(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        var page = petition is null ? null : await pages.LoadAsync(slug, cancellationToken, includeDrafts: true);
        if (page is null)
        {
            return NotFound();
        }

        var status = page.Petition.Status;
        var shown = status is PetitionStatus.Draft or PetitionStatus.Rejected or PetitionStatus.AwaitingModeration ? page.AsPublishedPreview() : page;
        return View(new PreviewModel(shown, status, moderation.Value.Mode == ModerationMode.PreModeration));
    }

    [HttpPost("/dashboard/p/{slug}/publish")]
    public async Task<IActionResult> Publish(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        if (petition.CanPublish)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var result = petition.Publish(moderation.Value.Mode, now);
            await db.SaveChangesAsync(cancellationToken);
            if (result == PublishResult.SentToModerators)
            {
                // Pre-moderation, or a rejected petition sent back: the moderators decide; approving confirms the starter's signature.
                await transaction.CommitAsync(cancellationToken);
                this.Notice(t["Your petition was sent to the moderators. We'll email you when they decide."]);
                return Redirect($"/dashboard/p/{slug}");
            }

            // The starter's signature, if they signed, is confirmed and counted with the publication.
            await db.Database.ExecuteSqlRawAsync(CountingSql.ConfirmStarter, [petition.Id, now], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await ForgetCachedPagesAsync(cancellationToken);
            this.Notice(t["Your petition is published. Share it to gather signatures."]);
        }
        else if (petition.Status == PetitionStatus.AwaitingModeration)
        {
            return Redirect($"/dashboard/p/{slug}");
        }

        return Redirect($"/p/{petition.Slug}");
    }

    [HttpGet("/dashboard/p/{slug}/edit")]
    public async Task<IActionResult> Edit(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        ViewData["Petition"] = petition;
        if (await IsTextLockedAsync(petition, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("EditLocked", petition);
        }

        return View(ToForm(petition));
    }

    /// <summary>
    /// Once a petition has closed, won or been delivered, its text stays as people signed it (as the UK Parliament and
    /// openPetition do): title, text, decision makers, goal and closing date are locked. Updates can still be posted.
    /// </summary>
    private async Task<bool> IsTextLockedAsync(Petition petition, CancellationToken cancellationToken) =>
        petition.IsTextLocked(delivered: await db.Deliveries.AnyAsync(d => d.PetitionId == petition.Id, cancellationToken));

    [HttpPost("/dashboard/p/{slug}/edit")]
    public async Task<IActionResult> Edit(string slug, PetitionForm form, string? command, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        ViewData["Petition"] = petition;
        if (await IsTextLockedAsync(petition, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("EditLocked", petition);
        }

        if (AddedDecisionMakerRow(form, command))
        {
            return View(form);
        }

        if (!ModelState.Validate(editValidator, form))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(form);
        }

        var now = clock.GetUtcNow();
        db.PetitionEdits.Add(new PetitionEdit
        {
            PetitionId = petition.Id,
            EditedAt = now,
            EditedByUserId = User.FindFirstValue(ClaimTypes.NameIdentifier),
            PreviousTitle = petition.Title,
            PreviousBody = petition.Body,
            PreviousDecisionMakersJson = JsonSerializer.Serialize(petition.DecisionMakers.Select(d => new { d.Name, d.TitleOrOrganization, d.Email })),
            PreviousGoal = petition.Goal,
        });
        db.DecisionMakers.RemoveRange(petition.DecisionMakers);
        petition.DecisionMakers.Clear();
        var wasProtected = petition.Protected;
        form.Protected &= protectedFields.IsAvailable;
        Apply(form, petition);
        if (petition.PublishedAt is not null)
        {
            petition.Protected = wasProtected;
        }
        else if (petition.Protected != wasProtected)
        {
            // Before publishing the only signature is the starter's: store it the new way.
            foreach (var s in await db.Signatures.Where(s => s.PetitionId == petition.Id).ToListAsync(cancellationToken))
            {
                var plain = protectedFields.Open(wasProtected, s.PetitionId, s.NormalizedEmail, s.FullName, s.Email, s.PostcodeOrCity, s.Reason);
                var normalized = EmailAddresses.Normalize(plain.Email);
                var stored = petition.Protected
                    ? protectedFields.Seal(s.PetitionId, normalized, plain)
                    : new Domain.Privacy.SealedSignerFields(normalized, plain.FullName, plain.Email, plain.PostcodeOrCity, plain.Reason);
                (s.NormalizedEmail, s.FullName, s.Email, s.PostcodeOrCity, s.Reason) = (stored.NormalizedEmail, stored.FullName, stored.Email, stored.PostcodeOrCity, stored.Reason);
                s.IpAddress = petition.Protected ? null : s.IpAddress;
            }
        }
        if (petition.PublishedAt is not null)
        {
            petition.EditedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await ForgetCachedPagesAsync(cancellationToken);
        this.Notice(t["Your changes are saved."]);
        return Redirect(petition.Status is PetitionStatus.Draft or PetitionStatus.Rejected ? $"/dashboard/p/{slug}/preview" : $"/dashboard/p/{slug}");
    }

    [HttpGet("/dashboard/p/{slug}/updates/new")]
    public Task<IActionResult> NewUpdate(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "NewUpdate", p => p.IsPublic, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/updates/new")]
    public Task<IActionResult> NewUpdate(string slug, MessageForm form, CancellationToken cancellationToken) =>
        Outcome(slug, form, "NewUpdate", t["Your update is posted. Supporters who asked for updates will get it by email."], updateValidator, p => p.IsPublic, (petition, now) =>
        {
            var markdown = form.Message!.Trim();
            db.PetitionUpdates.Add(new PetitionUpdate
            {
                PetitionId = petition.Id,
                Title = form.Title!.Trim(),
                Body = markdown,
                BodyHtml = PetitionText.ToSafeHtml(markdown),
                PostedAt = now,
            });
            notices.QueueUpdate(db, petition, form.Title!.Trim(), markdown);
        }, cancellationToken);

    [HttpGet("/dashboard/p/{slug}/close")]
    public Task<IActionResult> Close(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "Close", p => p.CanClose, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/close")]
    public Task<IActionResult> Close(string slug, MessageForm form, CancellationToken cancellationToken) =>
        Outcome(slug, form, "Close", t["Your petition is closed. It no longer accepts signatures."], outcomeValidator, p => p.CanClose, (petition, now) =>
            notices.Queue(db, petition, petition.Close(form.Message!.Trim(), now)!), cancellationToken);

    [HttpGet("/dashboard/p/{slug}/victory")]
    public Task<IActionResult> Victory(string slug, CancellationToken cancellationToken) => OutcomeForm(slug, "Victory", p => p.CanDeclareVictory, cancellationToken);

    [HttpPost("/dashboard/p/{slug}/victory")]
    public async Task<IActionResult> Victory(string slug, MessageForm form, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        var confirmed = 0;
        if (petition is not null && petition.CanDeclareVictory)
        {
            confirmed = await db.Signatures.CountAsync(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed, cancellationToken);
            if (!Petition.HasEnoughSignaturesForVictory(confirmed))
            {
                ModelState.Clear();
                ModelState.AddModelError("Form." + nameof(MessageForm.Message),
                    t["You can declare victory once the petition has at least {0} confirmed signatures. It has {1}", Petition.MinimumSignaturesForVictory, confirmed]);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("Victory", new OutcomeFormModel(petition, form));
            }
        }

        return await Outcome(slug, form, "Victory", t["Congratulations! Your petition is marked as a victory."], outcomeValidator, p => p.CanDeclareVictory, (p, now) =>
            notices.Queue(db, p, p.DeclareVictory(form.Message!.Trim(), confirmed, now)!), cancellationToken);
    }

    private async Task<IActionResult> OutcomeForm(string slug, string view, Func<Petition, bool> allowed, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        return allowed(petition) ? View(view, new OutcomeFormModel(petition, new MessageForm())) : Redirect($"/dashboard/p/{slug}");
    }

    private async Task<IActionResult> Outcome(string slug, MessageForm form, string view, string notice, IValidator<MessageForm> validator,
        Func<Petition, bool> allowed, Action<Petition, DateTimeOffset> apply, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        if (!allowed(petition))
        {
            return Redirect($"/dashboard/p/{slug}");
        }

        if (!ModelState.Validate(validator, form, "Form."))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(view, new OutcomeFormModel(petition, form));
        }

        // The change and the job that tells supporters about it commit together.
        apply(petition, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await ForgetCachedPagesAsync(cancellationToken);
        this.Notice(notice);
        return Redirect($"/p/{slug}");
    }

    // The organizer should see their change at once, not up to a second later.
    private async Task ForgetCachedPagesAsync(CancellationToken cancellationToken) =>
        await pageCache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);

    private bool AddedDecisionMakerRow(PetitionForm form, string? command)
    {
        if (command != "add-decision-maker")
        {
            return false;
        }

        ModelState.Clear();
        if (form.DecisionMakers.Count < PetitionForm.MaxDecisionMakers)
        {
            form.DecisionMakers.Add(new DecisionMakerInput());
        }

        return true;
    }

    private static void Apply(PetitionForm form, Petition petition)
    {
        petition.Title = form.Title!.Trim();
        petition.Body = form.Body!.Trim();
        (petition.BodyLeadHtml, petition.BodyMoreHtml) = PetitionText.Render(petition.Body);
        petition.StarterName = form.StarterName!.Trim();
        petition.Category = form.Category!;
        petition.Protected = form.Protected;
        petition.DeliverInitialsOnly = form.Protected && form.DeliverInitialsOnly;
        if (form.Language is not null)
        {
            petition.Language = form.Language.ToLowerInvariant();
        }

        petition.AutomaticGoal = form.IsAutomaticGoal;
        petition.Goal = form.IsAutomaticGoal ? 100 : form.GoalNumber!.Value;
        petition.ClosesAt = form.ClosesOnDate is { } closesOn ? new DateTimeOffset(closesOn.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero) : null;
        var position = 0;
        foreach (var d in form.DecisionMakers.Where(d => !d.IsBlank))
        {
            petition.DecisionMakers.Add(new DecisionMaker
            {
                Name = d.Name!.Trim(),
                TitleOrOrganization = string.IsNullOrWhiteSpace(d.TitleOrOrganization) ? null : d.TitleOrOrganization.Trim(),
                Email = string.IsNullOrWhiteSpace(d.Email) ? null : d.Email.Trim(),
                Position = position++,
            });
        }
    }

    private static PetitionForm ToForm(Petition p) => new()
    {
        Title = p.Title,
        Body = p.Body,
        StarterName = p.StarterName,
        Category = p.Category,
        Protected = p.Protected,
        DeliverInitialsOnly = p.DeliverInitialsOnly,
        Language = p.Language,
        GoalMode = p.AutomaticGoal ? "automatic" : "fixed",
        Goal = p.AutomaticGoal ? null : p.Goal.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ClosesOn = p.ClosesAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DecisionMakers = p.DecisionMakers.Select(d => new DecisionMakerInput { Name = d.Name, TitleOrOrganization = d.TitleOrOrganization, Email = d.Email }).ToList(),
    };

    /// <summary>
    /// Saves the new petition under the first free slug. Another start with the same title may take that slug between
    /// the look-up and the insert; the unique index says so, and the next free one is tried. (Each failed insert is
    /// rolled back to the savepoint EF takes inside the caller's transaction.)
    /// </summary>
    private async Task SaveWithFreeSlugAsync(Petition petition, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            petition.Slug = await UniqueSlugAsync(Slugs.FromTitle(petition.Title), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (attempt < 20 && ex.InnerException is Npgsql.PostgresException
            {
                SqlState: Npgsql.PostgresErrorCodes.UniqueViolation,
                ConstraintName: "ix_petitions_slug",
            })
            {
            }
        }
    }

    private async Task<string> UniqueSlugAsync(string baseSlug, CancellationToken cancellationToken)
    {
        var taken = await db.Petitions.Where(p => p.Slug == baseSlug || p.Slug.StartsWith(baseSlug + "-")).Select(p => p.Slug).ToListAsync(cancellationToken);
        if (!taken.Contains(baseSlug))
        {
            return baseSlug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{baseSlug}-{n}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }
}
