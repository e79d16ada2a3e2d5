using Microsoft.AspNetCore.Mvc.Rendering;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

public static class ReasonOptions
{
    /// <summary>The reasons as select options in the page's language, after a blank "choose" option.</summary>
    public static IEnumerable<SelectListItem> All(Texts t, string prompt)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new[] { new SelectListItem(prompt, "") }
            .Concat(Enum.GetValues<ModerationReason>().Select(r => new SelectListItem(t[ModerationReasons.Describe(r)], r.ToString())));
    }
}
