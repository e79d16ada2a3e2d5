using Petitions.Web.Features.Dashboard;

namespace Petitions.Tests.Dashboard;

/// <summary>The arithmetic behind the charts: buckets, coarser periods for long petitions, and axis scales.</summary>
public sealed class ChartTests
{
    private static readonly DateTimeOffset Published = new(2026, 1, 5, 10, 20, 0, TimeSpan.Zero);

    [Fact]
    public void Build_HourlyAndDailyRows_SplitsTheLaunchWindowFromTheRest()
    {
        var rows = new[]
        {
            new TimelineRow(new DateTime(2026, 1, 5, 10, 0, 0), Hourly: true, 3),
            new TimelineRow(new DateTime(2026, 1, 8, 9, 0, 0), Hourly: true, 2),
            // The day the window closes (at 10:00), counted by the day only.
            new TimelineRow(new DateTime(2026, 1, 8, 0, 0, 0), Hourly: false, 4),
            new TimelineRow(new DateTime(2026, 1, 10, 0, 0, 0), Hourly: false, 1),
        };

        var timeline = SignatureTimeline.Build(Published, new DateTimeOffset(2026, 1, 11, 8, 0, 0, TimeSpan.Zero), rows);

        Assert.False(timeline.IsYoung);
        var launch = timeline.Launch!;
        Assert.Equal(72, launch.Buckets.Count);
        Assert.Equal(new DateTime(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc), launch.Buckets[0].Start);
        Assert.Equal(3, launch.Buckets[0].Count);
        Assert.Equal(2, launch.Buckets[^1].Count);
        Assert.Equal(5, launch.Total);
        var overall = timeline.Overall!;
        Assert.Equal(BucketSize.Day, overall.Size);
        Assert.Equal([3, 0, 0, 6, 0, 1, 0], overall.Buckets.Select(b => b.Count));
    }

    [Fact]
    public void Build_FourMonthsOld_CountsByTheWeekFromMonday()
    {
        var end = Published.AddDays(120);
        var rows = new[] { new TimelineRow(new DateTime(2026, 1, 7), false, 2), new TimelineRow(new DateTime(2026, 1, 11), false, 5), new TimelineRow(new DateTime(2026, 1, 12), false, 1) };

        var overall = SignatureTimeline.Build(Published, end, rows).Overall!;

        Assert.Equal(BucketSize.Week, overall.Size);
        Assert.Equal(DayOfWeek.Monday, overall.Buckets[0].Start.DayOfWeek);
        Assert.Equal([7, 1], overall.Buckets.Take(2).Select(b => b.Count));
        Assert.Equal(8, overall.Total);
        Assert.Equal("Week of 5 January 2026", overall.Describe(overall.Buckets[0]));
    }

    [Fact]
    public void Build_ThreeYearsOld_CountsByTheMonth()
    {
        var rows = new[] { new TimelineRow(new DateTime(2026, 1, 31), false, 2), new TimelineRow(new DateTime(2026, 2, 1), false, 3) };

        var overall = SignatureTimeline.Build(Published, Published.AddYears(3), rows).Overall!;

        Assert.Equal(BucketSize.Month, overall.Size);
        Assert.Equal(37, overall.Buckets.Count);
        Assert.Equal([2, 3], overall.Buckets.Take(2).Select(b => b.Count));
    }

    [Fact]
    public void Build_PublishedHoursAgo_HasOnlyTheHoursSoFar()
    {
        var timeline = SignatureTimeline.Build(Published, Published.AddHours(5), [new TimelineRow(new DateTime(2026, 1, 5, 12, 0, 0), true, 4)]);

        Assert.True(timeline.IsYoung);
        Assert.Null(timeline.Overall);
        Assert.Equal([0, 0, 4, 0, 0, 0], timeline.Launch!.Buckets.Select(b => b.Count));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(3, 3, 1)]
    [InlineData(7, 8, 2)]
    [InlineData(85, 100, 20)]
    [InlineData(1873, 2000, 500)]
    [InlineData(12001, 15000, 5000)]
    public void Scale_RoundsUpToFewNiceSteps(int max, int expectedTop, int expectedStep)
    {
        Assert.Equal((expectedTop, expectedStep), TimeChart.Scale(max));
    }

    [Fact]
    public void TimeChart_BarsFillThePlotAndTheTallestReachesTheTop()
    {
        var series = new TimeSeries(BucketSize.Day, [new(new DateTime(2026, 1, 5), 10), new(new DateTime(2026, 1, 6), 0), new(new DateTime(2026, 1, 7), 5)]);

        var chart = TimeChart.Build(series, ChartLayout.Wide);

        Assert.Equal(3, chart.Bars.Count);
        Assert.Equal(chart.PlotTop, chart.Bars[0].Y);
        Assert.Equal(0, chart.Bars[1].Height);
        Assert.Equal(chart.Bars[0].Height / 2, chart.Bars[2].Height, precision: 1);
        Assert.All(chart.Bars, b => Assert.InRange(b.X, chart.PlotLeft, chart.PlotRight - b.Width));
        Assert.Equal("7 January 2026: 5 signatures", chart.Bars[2].Title);
        Assert.Equal(["0", "2", "4", "6", "8", "10"], chart.YTicks.Select(t => t.Label));
    }
}
