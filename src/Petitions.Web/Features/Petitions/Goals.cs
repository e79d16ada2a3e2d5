namespace Petitions.Web.Features.Petitions;

public static class Goals
{
    private static readonly int[] Steps =
        [10, 25, 50, 100, 200, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    /// <summary>
    /// The goal to show: an automatic goal is the next step above the count; a fixed goal that has been passed also
    /// moves on to the next step, so the page always has somewhere to go.
    /// </summary>
    public static int Display(int goal, bool automatic, int count)
    {
        if (!automatic && goal > count)
        {
            return goal;
        }

        foreach (var step in Steps)
        {
            if (step > count && (automatic || step > goal))
            {
                return step;
            }
        }

        return (count / 10_000_000 + 1) * 10_000_000;
    }
}
