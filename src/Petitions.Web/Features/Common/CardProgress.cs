using Petitions.Web.Features.Petitions;

namespace Petitions.Web.Features.Common;

/// <summary>The small progress bar and count on a petition card, toward the same goal the petition page shows.</summary>
public sealed record CardProgress(int Count, int Goal, bool AutomaticGoal)
{
    public int DisplayGoal => Goals.Display(Goal, AutomaticGoal, Count);

    public int Percent => DisplayGoal == 0 ? 0 : (int)Math.Min(100, Count * 100L / DisplayGoal);
}
