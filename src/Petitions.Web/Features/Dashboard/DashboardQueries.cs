using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Dashboard;

/// <summary>
/// Reads for the organizer dashboard. The petition page costs a fixed number of queries whatever the petition's size:
/// two aggregates over its signatures (by state and country; by hour or day), the latest signers and the updates.
/// </summary>
public sealed class DashboardQueries(PetitionsDbContext db, NpgsqlDataSource dataSource, Localization.Texts t, Domain.Privacy.ProtectedFields protectedFields)
{
    public const int PageSize = 25;
    public const int RecentSignerCount = 20;
    public const int TopCountries = 15;
    public const int MaxUpdates = 50;

    /// <summary>
    /// Newest first, keyset-paged on the id so that a page costs the same however deep it is, even across every
    /// petition on the site.
    /// </summary>
    public async Task<DashboardPage> ListAsync(string? ownerId, PetitionStatus? status, long? before, long? after, CancellationToken cancellationToken)
    {
        var query = db.Petitions.AsNoTracking();
        if (ownerId is not null)
        {
            query = query.Where(p => p.OwnerId == ownerId);
        }

        if (status is { } s)
        {
            query = query.Where(p => p.Status == s);
        }

        List<DashboardPetition> rows;
        bool more;
        if (after is { } newerThan)
        {
            rows = await Project(query.Where(p => p.Id > newerThan).OrderBy(p => p.Id)).Take(PageSize + 1).ToListAsync(cancellationToken);
            more = rows.Count > PageSize;
            rows = rows.Take(PageSize).Reverse().ToList();
            return new DashboardPage(rows, more ? rows[0].Id : null, rows.Count > 0 ? rows[^1].Id : null);
        }

        if (before is { } olderThan)
        {
            query = query.Where(p => p.Id < olderThan);
        }

        rows = await Project(query.OrderByDescending(p => p.Id)).Take(PageSize + 1).ToListAsync(cancellationToken);
        more = rows.Count > PageSize;
        rows = rows.Take(PageSize).ToList();
        return new DashboardPage(rows, before is not null && rows.Count > 0 ? rows[0].Id : null, more ? rows[^1].Id : null);
    }

    public Task<int> CountOwnedAsync(string ownerId, CancellationToken cancellationToken) =>
        db.Petitions.CountAsync(p => p.OwnerId == ownerId, cancellationToken);

    public async Task<PetitionDashboardModel> LoadAsync(Petition petition, bool isOwner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        var (funnel, countries) = await StatesAndCountriesAsync(petition.Id, cancellationToken);
        var timeline = petition.Status == PetitionStatus.Draft && funnel.Confirmed == 0
            ? null
            : await TimelineAsync(petition, now, cancellationToken);

        var recent = await db.Signatures.AsNoTracking()
            .Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed)
            .OrderByDescending(s => s.ConfirmedAt).ThenByDescending(s => s.Id)
            .Take(RecentSignerCount)
            .Select(s => new { s.NormalizedEmail, s.FullName, s.PostcodeOrCity, s.Country, SignedAt = s.ConfirmedAt ?? s.CreatedAt, s.Reason, s.ShowPublicly })
            .ToListAsync(cancellationToken);
        var recentSigners = recent.Select(s =>
        {
            var open = protectedFields.Open(petition.Protected, petition.Id, s.NormalizedEmail, s.FullName, "", s.PostcodeOrCity, s.Reason);
            return new RecentSigner(open.FullName, open.PostcodeOrCity, s.Country, s.SignedAt, open.Reason, s.ShowPublicly && !petition.Protected);
        }).ToList();

        var updates = await db.PetitionUpdates.AsNoTracking()
            .Where(u => u.PetitionId == petition.Id)
            .OrderByDescending(u => u.PostedAt)
            .Take(MaxUpdates)
            .Select(u => new UpdateSummary(u.Title, u.PostedAt))
            .ToListAsync(cancellationToken);

        return new PetitionDashboardModel
        {
            Petition = petition,
            Funnel = funnel,
            Timeline = timeline,
            Countries = countries,
            RecentSigners = recentSigners,
            Updates = updates,
            IsOwner = isOwner,
            IsDelivered = await db.Deliveries.AnyAsync(d => d.PetitionId == petition.Id, cancellationToken),
        };
    }

    private async Task<(SignatureFunnel Funnel, IReadOnlyList<CountryShare> Countries)> StatesAndCountriesAsync(long petitionId, CancellationToken cancellationToken)
    {
        var pending = 0;
        var byCountry = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand(SignatureSql.StatesAndCountries).With(petitionId))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = reader.GetString(0);
                var count = reader.GetInt32(2);
                if (state == nameof(SignatureState.Confirmed))
                {
                    var country = reader.GetString(1);
                    byCountry[country] = byCountry.GetValueOrDefault(country) + count;
                }
                else
                {
                    pending += count;
                }
            }
        }

        var confirmed = byCountry.Values.Sum();
        // Names in the page's language, ties sorted by its collation.
        var collation = StringComparer.Create(System.Globalization.CultureInfo.CurrentUICulture, ignoreCase: false);
        var ordered = byCountry.OrderByDescending(c => c.Value).ThenBy(c => Localization.CountryNames.NameOf(c.Key), collation).ToList();
        var shares = ordered.Take(TopCountries)
            .Select(c => new CountryShare(c.Key, Localization.CountryNames.NameOf(c.Key), c.Value, c.Value * 100.0 / confirmed))
            .ToList();
        var rest = ordered.Skip(TopCountries).ToList();
        if (rest.Count > 0)
        {
            var others = rest.Sum(c => c.Value);
            var name = t.Plural(rest.Count, "{0} other country", "{0} other countries");
            shares.Add(new CountryShare(CountryShare.OtherCode, name, others, others * 100.0 / confirmed));
        }

        return (new SignatureFunnel(pending, confirmed), shares);
    }

    private async Task<SignatureTimeline> TimelineAsync(Petition petition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One pass: by the hour while the petition was new, by the day after that.
        var origin = petition.PublishedAt ?? petition.CreatedAt;
        var rows = new List<TimelineRow>();
        await using (var command = dataSource.CreateCommand(SignatureSql.Timeline).With(petition.Id))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = SignatureTimeline.HourlyUntil(origin), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new TimelineRow(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), reader.GetBoolean(1), reader.GetInt32(2)));
            }
        }

        var end = petition.Status == PetitionStatus.Open ? now : petition.ClosedAt ?? petition.VictoryAt ?? now;
        return SignatureTimeline.Build(origin, end, rows);
    }

    private static IQueryable<DashboardPetition> Project(IQueryable<Petition> query) =>
        query.Select(p => new DashboardPetition(p.Id, p.Slug, p.Title, p.StarterName, p.Status, p.SignatureCount, p.CreatedAt, p.PublishedAt));
}
