using Petitions.Web.Features.Deliveries;

namespace Petitions.Tests.Deliveries;

/// <summary>The PDF's bidi runs come from ICU, found in the process as .NET loaded it.</summary>
public sealed class PdfBidiTests
{
    [Fact]
    public void Bidi_MixedLine_SplitsIntoRunsInVisualOrder()
    {
        var runs = new List<Bidi.Run>();
        const string mixed = "Ali Rezaei / علی رضایی";
        Bidi.VisualRuns(mixed, rightToLeft: false, runs);
        Assert.Equal([("Ali Rezaei / ", false), ("علی رضایی", true)], runs.Select(r => (mixed.Substring(r.Start, r.Length), r.RightToLeft)));

        const string persian = "علی ۱۲۳ (UN)";
        Bidi.VisualRuns(persian, rightToLeft: true, runs);
        Assert.Equal([(")", true), ("UN", false), (" (", true), ("۱۲۳", false), ("علی ", true)],
            runs.Select(r => (persian.Substring(r.Start, r.Length), r.RightToLeft)));
        Assert.True(Bidi.IsRightToLeft("۱۲ علی Ali", otherwise: false));
        Assert.False(Bidi.IsRightToLeft("12 Ali علی", otherwise: true));
        Assert.True(Bidi.IsRightToLeft("12 345", otherwise: true));
    }
}
