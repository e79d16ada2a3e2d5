using System.Globalization;

namespace Petitions.Web.Features.Dashboard;

/// <summary>
/// The size a chart is drawn at. The SVG scales with its container, so each chart is drawn twice: wide for larger
/// screens and narrow for phones, where a scaled-down wide chart would have unreadably small text.
/// </summary>
public sealed record ChartLayout(string Name, int Width, int Height, int MaxXLabels, int LabelWidth)
{
    public static readonly ChartLayout Wide = new("wide", 720, 280, 8, 0);
    public static readonly ChartLayout Narrow = new("narrow", 340, 240, 3, 0);

    /// <summary>The country chart sits in half the page width on large screens.</summary>
    public static readonly ChartLayout CountriesWide = new("wide", 540, 0, 0, 150);
    public static readonly ChartLayout CountriesNarrow = new("narrow", 340, 0, 0, 112);
}

/// <summary>What a time chart partial needs: an id for its elements, the series and how to describe it.</summary>
public sealed record TimeChartView(string Id, TimeSeries Series, string Caption, Localization.Texts? T = null)
{
    public string Summary
    {
        get
        {
            var buckets = Series.Buckets;
            if (buckets.Count == 0)
            {
                return T is null ? Caption + ": no data." : T["{0}: no data.", Caption];
            }

            if (T is not null)
            {
                var from = Series.Describe(buckets[0], true, T);
                var to = Series.Describe(buckets[^1], true, T);
                return Series.Peak is not { } busiest
                    ? T["{0}, from {1} to {2}: no confirmed signatures in this period.", Caption, from, to]
                    : T["{0}, from {1} to {2}: {3} in total. The busiest {4} was {5}, with {6}.", Caption, from, to,
                        T.Plural(Series.Total, "{0} signature", "{0} signatures"), T[Series.Unit], Series.Describe(busiest, true, T), Counts.Number(busiest.Count)];
            }

            var range = $"{Caption}, from {Series.Describe(buckets[0], true)} to {Series.Describe(buckets[^1], true)}";
            if (Series.Peak is not { } peak)
            {
                return range + ": no confirmed signatures in this period.";
            }

            return $"{range}: {Counts.Signatures(Series.Total)} in total. The busiest {Series.Unit} was {Series.Describe(peak, true)}, with {Counts.Number(peak.Count)}.";
        }
    }
}

public sealed record ChartBar(double X, double Y, double Width, double Height, int Count, string Title);

public sealed record AxisTick(double Position, string Label);

/// <summary>Geometry for a bar chart of a <see cref="TimeSeries"/>, with a cumulative line on a second axis.</summary>
public sealed class TimeChart
{
    public const double Left = 52;
    public const double Top = 14;
    public const double Bottom = 34;
    public const double Right = 52;

    public required ChartLayout Layout { get; init; }
    public required IReadOnlyList<ChartBar> Bars { get; init; }
    public required IReadOnlyList<AxisTick> YTicks { get; init; }
    public required IReadOnlyList<AxisTick> XTicks { get; init; }
    public required IReadOnlyList<AxisTick> TotalTicks { get; init; }
    public required string TotalLine { get; init; }

    public double PlotLeft => Left;
    public double PlotRight => Layout.Width - Right;
    public double PlotTop => Top;
    public double PlotBottom => Layout.Height - Bottom;

    public static TimeChart Build(TimeSeries series, ChartLayout layout, Localization.Texts? t = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(layout);
        var plotWidth = layout.Width - Left - Right;
        var plotBottom = layout.Height - Bottom;
        var plotHeight = plotBottom - Top;
        var buckets = series.Buckets;
        var n = Math.Max(1, buckets.Count);
        var slot = plotWidth / n;
        var barWidth = Math.Max(1, slot * (slot >= 6 ? 0.8 : 1));
        var (yMax, yStep) = Scale(buckets.Count == 0 ? 0 : buckets.Max(b => b.Count));
        var (totalMax, totalStep) = Scale(series.Total);

        var bars = new List<ChartBar>(buckets.Count);
        var line = new List<string>(buckets.Count + 1);
        var cumulative = 0;
        line.Add(Point(Left, plotBottom));
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var height = plotHeight * b.Count / yMax;
            var x = Left + (slot * i) + ((slot - barWidth) / 2);
            var title = $"{series.Describe(b, false, t)}: {(t is null ? Counts.Signatures(b.Count) : t.Plural(b.Count, "{0} signature", "{0} signatures"))}";
            bars.Add(new ChartBar(Round(x), Round(plotBottom - height), Round(barWidth), Round(height), b.Count, title));
            cumulative += b.Count;
            line.Add(Point(Left + (slot * (i + 1)), plotBottom - (plotHeight * cumulative / totalMax)));
        }

        var yTicks = new List<AxisTick>();
        for (var v = 0; v <= yMax; v += yStep)
        {
            yTicks.Add(new AxisTick(Round(plotBottom - (plotHeight * v / yMax)), Counts.Number(v)));
        }

        var totalTicks = new List<AxisTick>();
        for (var v = 0; v <= totalMax; v += totalStep)
        {
            totalTicks.Add(new AxisTick(Round(plotBottom - (plotHeight * v / totalMax)), Counts.Number(v)));
        }

        return new TimeChart
        {
            Layout = layout,
            Bars = bars,
            YTicks = yTicks,
            XTicks = XAxis(series, layout, slot),
            TotalTicks = totalTicks,
            TotalLine = string.Join(' ', line),
        };
    }

    /// <summary>A "nice" axis: a maximum at or above <paramref name="max"/>, in about five steps of 1, 2 or 5 × 10ⁿ.</summary>
    public static (int Max, int Step) Scale(int max)
    {
        if (max <= 0)
        {
            return (1, 1);
        }

        var raw = max / 5.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        var nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        var step = Math.Max(1, (int)Math.Round(nice * magnitude));
        var top = (int)Math.Ceiling(max / (double)step) * step;
        return (top, step);
    }

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Point(double x, double y) => F(Round(x)) + "," + F(Round(y));

    private static double Round(double value) => Math.Round(value, 2);

    private static List<AxisTick> XAxis(TimeSeries series, ChartLayout layout, double slot)
    {
        var buckets = series.Buckets;
        var ticks = new List<AxisTick>();
        if (buckets.Count == 0)
        {
            return ticks;
        }

        // The page's culture: Persian pages get Solar Hijri month names and Persian digits.
        var inv = CultureInfo.CurrentCulture;
        if (series.Size == BucketSize.Hour)
        {
            // Label whole hours that divide the day evenly, so labels fall on 00:00, 06:00, 12:00…
            int[] steps = [1, 2, 3, 6, 12, 24];
            var wanted = Math.Ceiling(buckets.Count / (double)layout.MaxXLabels);
            var every = steps.FirstOrDefault(s => s >= wanted, 24);
            for (var i = 0; i < buckets.Count; i++)
            {
                var start = buckets[i].Start;
                if (start.Hour % every == 0 && (every < 24 || start.Hour == 0))
                {
                    var label = Localization.Texts.Digits(start.Hour == 0 ? start.ToString("d MMM", inv) : start.ToString("HH:mm", inv));
                    ticks.Add(new AxisTick(Round(Left + (slot * i) + (slot / 2)), label));
                }
            }

            return ticks;
        }

        var stride = (int)Math.Ceiling(buckets.Count / (double)layout.MaxXLabels);
        var format = series.Size == BucketSize.Month ? "MMM yyyy" : "d MMM";
        for (var i = 0; i < buckets.Count; i += stride)
        {
            ticks.Add(new AxisTick(Round(Left + (slot * i) + (slot / 2)), Localization.Texts.Digits(buckets[i].Start.ToString(format, inv))));
        }

        return ticks;
    }
}

public sealed record CountryShare(string Code, string Name, int Count, double Percent)
{
    public const string OtherCode = "";

    public bool IsOther => Code.Length == 0;
}

/// <summary>Geometry for the horizontal bar chart of supporters by country.</summary>
public sealed class CountryChart
{
    public const double RowHeight = 28;
    public const double BarHeight = 18;
    public const double CountWidth = 64;

    public required ChartLayout Layout { get; init; }
    public required double Height { get; init; }
    public required IReadOnlyList<CountryChartRow> Rows { get; init; }

    public static CountryChart Build(IReadOnlyList<CountryShare> shares, ChartLayout layout)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(layout);
        var barLeft = layout.LabelWidth + 8.0;
        var barSpace = layout.Width - barLeft - CountWidth;
        var max = shares.Count == 0 ? 1 : Math.Max(1, shares.Max(s => s.Count));
        var maxLabelChars = (int)(layout.LabelWidth / 7.8);
        var rows = shares.Select((s, i) =>
        {
            var y = (i * RowHeight) + ((RowHeight - BarHeight) / 2);
            var width = Math.Max(s.Count > 0 ? 2 : 0, barSpace * s.Count / max);
            var label = s.Name.Length <= maxLabelChars ? s.Name : s.Name[..(maxLabelChars - 1)].TrimEnd() + "…";
            return new CountryChartRow(label, s.Name, Math.Round(y, 2), barLeft, Math.Round(width, 2), s.Count, s.Percent, s.IsOther);
        }).ToList();
        return new CountryChart { Layout = layout, Height = Math.Max(RowHeight, rows.Count * RowHeight), Rows = rows };
    }
}

public sealed record CountryChartRow(string Label, string Name, double Y, double BarX, double BarWidth, int Count, double Percent, bool IsOther)
{
    public double TextY => Y + (CountryChart.BarHeight / 2) + 4.5;
}

/// <summary>Numbers and dates as the dashboard shows them: "1,234", "24 November 2026".</summary>
public static class Counts
{
    public static string Number(int value) => Localization.Texts.Number(value);

    public static string Signatures(int value) => value == 1 ? "1 signature" : Number(value) + " signatures";

    public static string Percent(double value) => Localization.Texts.Percent(value);

    public static string Date(DateTimeOffset value) => Localization.Texts.Date(new DateTimeOffset(value.UtcDateTime));

    public static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
