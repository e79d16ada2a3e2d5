using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Organize;

/// <summary>Editing a petition's text, and the form both starting and editing fill in.</summary>
public sealed partial class OrganizeController
{
    [HttpGet("/dashboard/p/{slug}/edit")]
    public async Task<IActionResult> Edit(string slug, CancellationToken cancellationToken)
    {
        var (petition, refusal) = await FindEditableAsync(slug, cancellationToken);
        return refusal ?? View(ToForm(petition!));
    }

    /// <summary>The petition its organizer may edit, or the answer instead: 404 to anyone else, 409 once its text is locked.</summary>
    private async Task<(Petition? Petition, IActionResult? Refusal)> FindEditableAsync(string slug, CancellationToken cancellationToken)
    {
        var petition = await managed.FindAsync(slug, User, cancellationToken);
        if (petition is null)
        {
            return (null, NotFound());
        }

        ViewData["Petition"] = petition;
        if (await IsTextLockedAsync(petition, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return (petition, View("EditLocked", petition));
        }

        return (petition, null);
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
        var (found, refusal) = await FindEditableAsync(slug, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var petition = found!;

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
        var resealed = new List<(long Id, Domain.Privacy.SealedSignerFields Stored)>();
        if (petition.PublishedAt is not null)
        {
            petition.Protected = wasProtected;
            petition.EditedAt = now;
        }
        else if (petition.Protected != wasProtected)
        {
            // Before publishing the only signature is the starter's: store it the new way.
            foreach (var s in await db.Signatures.AsNoTracking().Where(s => s.PetitionId == petition.Id).ToListAsync(cancellationToken))
            {
                var plain = protectedFields.Open(wasProtected, s.PetitionId, s.NormalizedEmail, s.FullName, s.Email, s.PostcodeOrCity, s.Reason);
                var normalized = EmailAddresses.Normalize(plain.Email);
                resealed.Add((s.Id, petition.Protected
                    ? protectedFields.Seal(s.PetitionId, normalized, plain)
                    : new Domain.Privacy.SealedSignerFields(normalized, plain.FullName, plain.Email, plain.PostcodeOrCity, plain.Reason)));
            }
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var npgsql = (Npgsql.NpgsqlTransaction)transaction.GetDbTransaction();
            await CitusDistribution.UseSequentialOnCitusAsync(npgsql.Connection!, npgsql, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (id, stored) in resealed)
            {
                // The address changes with the sealing, so the row is rewritten rather than updated (SignatureSql.RewriteWhere).
                await using var rewrite = new Npgsql.NpgsqlCommand(SignatureSql.ReplaceSignerFields, npgsql.Connection, npgsql)
                    .With(id).With(stored.NormalizedEmail).With(stored.FullName).With(stored.Email).WithText(stored.PostcodeOrCity).WithText(stored.Reason)
                    .With(petition.Protected);
                await rewrite.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await ForgetCachedPagesAsync(cancellationToken);
        this.Notice(t["Your changes are saved."]);
        return Redirect(petition.Status is PetitionStatus.Draft or PetitionStatus.Rejected ? $"/dashboard/p/{slug}/preview" : $"/dashboard/p/{slug}");
    }

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
}
