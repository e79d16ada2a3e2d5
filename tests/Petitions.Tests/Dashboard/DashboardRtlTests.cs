using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using static Petitions.Tests.Dashboard.DashboardArrange;

namespace Petitions.Tests.Dashboard;

/// <summary>On a right-to-left dashboard the charts mirror: time runs from right to left, names sit on the right.</summary>
public sealed class DashboardRtlTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task PersianDashboard_MirrorsTheTimeChartAndTheCountryChart()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, adjust: p => p.PublishedAt = DaysAgo(5, hours: 10));
        await App.Services.SaveAsync(
            new SignatureBuilder(petition.Id).From("GB", "Cambridge").ConfirmedAt(DaysAgo(5, 10.5)),
            new SignatureBuilder(petition.Id).From("GB", "London").ConfirmedAt(DaysAgo(5, 11.25)),
            new SignatureBuilder(petition.Id).From("FR", "Paris").ConfirmedAt(DaysAgo(0, 0.25)));
        using var browser = await App.LoggedInVisitorAsync(owner);

        var english = await browser.GetAsync($"/dashboard/p/{petition.Slug}");
        var persian = await browser.GetAsync($"/fa/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, persian.Status);
        Assert.Equal("rtl", persian.One("html").GetAttribute("dir"));
        const double width = 720;
        var ltrChart = english.One("svg[data-chart=chart-overall][data-layout=wide]");
        var rtlChart = persian.One("svg[data-chart=chart-overall][data-layout=wide]");
        var ltrBars = Xs(ltrChart, "rect.bar");
        var rtlBars = Xs(rtlChart, "rect.bar");
        var barWidth = double.Parse(ltrChart.QuerySelector("rect.bar")!.GetAttribute("width")!, CultureInfo.InvariantCulture);
        // Left to right the first day is leftmost; right to left it is rightmost, each bar at its mirrored place.
        Assert.True(ltrBars[0] < ltrBars[^1]);
        Assert.True(rtlBars[0] > rtlBars[^1]);
        Assert.Equal(ltrBars.Count, rtlBars.Count);
        Assert.All(ltrBars.Zip(rtlBars), pair => Assert.InRange(pair.Second, width - pair.First - barWidth - 0.02, width - pair.First - barWidth + 0.02));
        // The scale of each day's count moves to the right, the running total's to the left, and the legend says so.
        Assert.All(Xs(rtlChart, ".y-axis text"), x => Assert.True(x > width / 2));
        Assert.All(Xs(rtlChart, ".total-axis text"), x => Assert.True(x < width / 2));
        // Anchors are read in the svg's own direction: "end" of a right-to-left label is its left edge.
        Assert.Equal("rtl", rtlChart.GetAttribute("direction"));
        Assert.Equal("end", rtlChart.QuerySelector(".y-axis")!.GetAttribute("text-anchor"));
        Assert.Equal("start", rtlChart.QuerySelector(".total-axis")!.GetAttribute("text-anchor"));
        Assert.Equal($"matrix(-1 0 0 1 {width} 0)", rtlChart.QuerySelector("polyline.total-line")!.GetAttribute("transform"));
        Assert.Null(ltrChart.QuerySelector("polyline.total-line")!.GetAttribute("transform"));
        Assert.Contains("مقیاس سمت راست", persian.Text("#chart-overall .chart-legend"), StringComparison.Ordinal);

        // Countries: names on the right, bars growing leftwards from them.
        var countries = persian.One("svg.country-chart[data-layout=wide]");
        var label = countries.QuerySelector(".country-row text")!;
        var bar = countries.QuerySelector(".country-row rect.bar")!;
        Assert.Equal("rtl", countries.GetAttribute("direction"));
        Assert.Equal("end", label.GetAttribute("text-anchor"));
        Assert.True(X(label) > X(bar));
        Assert.Equal("ltr", english.One("svg.country-chart[data-layout=wide]").GetAttribute("direction"));
    }

    [Fact]
    public async Task PersianDashboard_WritesSharesWithThePersianPercentSign_AndTheSnippetsLeftToRight()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, adjust: p => p.PublishedAt = DaysAgo(3));
        await App.Services.SaveAsync(
            new SignatureBuilder(petition.Id).From("IR", "Tabriz").ConfirmedAt(DaysAgo(2)),
            new SignatureBuilder(petition.Id).From("IR", "Urmia").ConfirmedAt(DaysAgo(2)),
            new SignatureBuilder(petition.Id).From("DE", "Berlin").ConfirmedAt(DaysAgo(1)));
        using var browser = await App.LoggedInVisitorAsync(owner);

        var persian = await browser.GetAsync($"/fa/dashboard/p/{petition.Slug}");
        var english = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, persian.Status);
        Assert.Equal("۶۶٫۷٪", persian.Text("tr[data-country=IR] td:last-child"));
        Assert.Equal("66.7%", english.Text("tr[data-country=IR] td:last-child"));
        // HTML code read right to left comes out scrambled ("iframe src=… <"): the snippets stay left to right.
        Assert.Equal("ltr", persian.One("textarea#embed-snippet").GetAttribute("dir"));
        Assert.Equal("ltr", persian.One("textarea#badge-snippet").GetAttribute("dir"));
    }

    private static List<double> Xs(IElement chart, string selector) => chart.QuerySelectorAll(selector).Select(X).ToList();

    private static double X(IElement element) => double.Parse(element.GetAttribute("x")!, CultureInfo.InvariantCulture);
}
