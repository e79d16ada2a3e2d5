using System.Globalization;

namespace Petitions.Web.Features.Dashboard;

public enum BucketSize
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>Confirmed signatures in one bucket; <see cref="Start"/> is UTC.</summary>
public sealed record TimeBucket(DateTime Start, int Count);

/// <summary>
/// One row of the timeline query: an hourly bucket for signatures confirmed before <see cref="SignatureTimeline.HourlyUntil"/>,
/// a daily bucket after. A daily bucket can start before the cut-off (the day it falls in), hence the flag.
/// </summary>
public sealed record TimelineRow(DateTime Start, bool Hourly, int Count);

/// <summary>A gap-free run of buckets of one size, oldest first.</summary>
public sealed class TimeSeries(BucketSize size, IReadOnlyList<TimeBucket> buckets)
{
    public BucketSize Size { get; } = size;

    public IReadOnlyList<TimeBucket> Buckets { get; } = buckets;

    public int Total => Buckets.Sum(b => b.Count);

    public TimeBucket? Peak => Buckets.Count == 0 || Total == 0 ? null : Buckets.MaxBy(b => b.Count);

    public string Unit => Size switch
    {
        BucketSize.Hour => "hour",
        BucketSize.Day => "day",
        BucketSize.Week => "week",
        _ => "month",
    };

    /// <summary>How a bucket is named in the data table, or mid-sentence when <paramref name="inSentence"/>.</summary>
    public string Describe(TimeBucket bucket, bool inSentence = false, Localization.Texts? t = null)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (t is not null)
        {
            // In the page's language and calendar (Solar Hijri for Persian), with its digits.
            var c = CultureInfo.CurrentCulture;
            var start = new DateTimeOffset(DateTime.SpecifyKind(bucket.Start, DateTimeKind.Utc), TimeSpan.Zero);
            return Localization.Texts.Digits(Size switch
            {
                BucketSize.Hour => start.ToString("d MMMM yyyy, HH:mm", c) + "–" + start.AddHours(1).ToString("HH:mm", c),
                BucketSize.Day => start.ToString("d MMMM yyyy", c),
                BucketSize.Week => t[inSentence ? "the week of {0}" : "Week of {0}", start.ToString("d MMMM yyyy", c)],
                _ => start.ToString("MMMM yyyy", c),
            });
        }

        var inv = CultureInfo.InvariantCulture;
        return Size switch
        {
            BucketSize.Hour => bucket.Start.ToString("d MMMM yyyy, HH:mm", inv) + "–" + bucket.Start.AddHours(1).ToString("HH:mm", inv),
            BucketSize.Day => bucket.Start.ToString("d MMMM yyyy", inv),
            BucketSize.Week => (inSentence ? "the week of " : "Week of ") + bucket.Start.ToString("d MMMM yyyy", inv),
            _ => bucket.Start.ToString("MMMM yyyy", inv),
        };
    }
}

/// <summary>
/// Confirmed signatures over time: by the hour for the first three days after publishing, and over the whole life of
/// the petition by day (by week or month once a daily chart would have too many bars to read).
/// </summary>
public sealed class SignatureTimeline
{
    public static readonly TimeSpan LaunchWindow = TimeSpan.FromDays(3);
    public const int MaxDailyBars = 92;
    public const int MaxWeeklyBars = 105;

    private SignatureTimeline(TimeSeries? overall, TimeSeries? launch, bool isYoung)
    {
        Overall = overall;
        Launch = launch;
        IsYoung = isYoung;
    }

    /// <summary>The whole life of the petition; null while it is younger than <see cref="LaunchWindow"/>.</summary>
    public TimeSeries? Overall { get; }

    /// <summary>By the hour, from publishing to three days later (or to now, for a younger petition).</summary>
    public TimeSeries? Launch { get; }

    public bool IsYoung { get; }

    public static DateTime HourOf(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);

    /// <summary>The instant before which signatures are grouped by the hour in the database query.</summary>
    public static DateTime HourlyUntil(DateTimeOffset origin) => HourOf(origin.UtcDateTime).Add(LaunchWindow);

    /// <summary>
    /// Builds both series from one query's rows: hourly buckets before <see cref="HourlyUntil"/>, daily buckets after.
    /// </summary>
    /// <param name="origin">When the petition was published (or created, for a draft).</param>
    /// <param name="end">The last moment the chart covers: now, or when the petition closed.</param>
    /// <param name="rows">The query's rows, in any order.</param>
    public static SignatureTimeline Build(DateTimeOffset origin, DateTimeOffset end, IEnumerable<TimelineRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var hourlyUntil = HourlyUntil(origin);
        var originHour = HourOf(origin.UtcDateTime);
        var endUtc = end.UtcDateTime;
        if (endUtc < originHour)
        {
            endUtc = originHour;
        }

        var hourly = new Dictionary<DateTime, int>();
        var daily = new Dictionary<DateTime, int>();
        foreach (var row in rows)
        {
            var start = DateTime.SpecifyKind(row.Start, DateTimeKind.Utc);
            if (row.Hourly)
            {
                hourly[start] = hourly.GetValueOrDefault(start) + row.Count;
            }

            daily[start.Date] = daily.GetValueOrDefault(start.Date) + row.Count;
        }

        var isYoung = endUtc - originHour < LaunchWindow;
        var launchEnd = isYoung ? HourOf(endUtc) : hourlyUntil.AddHours(-1);
        var launch = new List<TimeBucket>();
        for (var hour = originHour; hour <= launchEnd; hour = hour.AddHours(1))
        {
            launch.Add(new TimeBucket(hour, hourly.GetValueOrDefault(hour)));
        }

        TimeSeries? overall = null;
        if (!isYoung)
        {
            var firstDay = originHour.Date;
            if (daily.Count > 0 && daily.Keys.Min() < firstDay)
            {
                firstDay = daily.Keys.Min();
            }

            var lastDay = endUtc.Date;
            if (daily.Count > 0 && daily.Keys.Max() > lastDay)
            {
                lastDay = daily.Keys.Max();
            }

            var days = new List<TimeBucket>();
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                days.Add(new TimeBucket(day, daily.GetValueOrDefault(day)));
            }

            overall = Coarsen(days);
        }

        return new SignatureTimeline(overall, new TimeSeries(BucketSize.Hour, launch), isYoung);
    }

    private static TimeSeries Coarsen(List<TimeBucket> days)
    {
        if (days.Count <= MaxDailyBars)
        {
            return new TimeSeries(BucketSize.Day, days);
        }

        // Weeks start on Monday, as ISO 8601 has it.
        var weeks = Group(days, d => d.AddDays(-(((int)d.DayOfWeek + 6) % 7)));
        return weeks.Count <= MaxWeeklyBars
            ? new TimeSeries(BucketSize.Week, weeks)
            : new TimeSeries(BucketSize.Month, Group(days, d => new DateTime(d.Year, d.Month, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    private static List<TimeBucket> Group(List<TimeBucket> days, Func<DateTime, DateTime> key) =>
        days.GroupBy(d => key(d.Start)).Select(g => new TimeBucket(g.Key, g.Sum(d => d.Count))).OrderBy(b => b.Start).ToList();
}
