using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Common;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Organize;

/// <summary>Starting a petition, its preview and publishing it.</summary>
public sealed partial class OrganizeController
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
