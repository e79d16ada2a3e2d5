using Microsoft.AspNetCore.Mvc.Rendering;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Moderation;

public static class ReasonOptions
{
    /// <summary>The reasons as select options, after a blank "choose" option.</summary>
    public static IEnumerable<SelectListItem> All(string prompt) =>
        new[] { new SelectListItem(prompt, "") }
            .Concat(Enum.GetValues<ModerationReason>().Select(r => new SelectListItem(ModerationReasons.Describe(r), r.ToString())));
}
