using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Petitions.Web.Features.Common;

/// <summary>
/// A one-time success notice shown on the page an organizer lands on after an action (TempData, read once). Set only
/// for logged-in people: anonymous pages set no cookies and may come from the output cache.
/// </summary>
public static class Notices
{
    private const string Key = "Notice";

    public static void Notice(this Controller controller, string text)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (controller.User.Identity?.IsAuthenticated == true)
        {
            controller.TempData[Key] = text;
        }
    }

    public static string? TakeNotice(this ITempDataDictionary tempData, bool authenticated) =>
        authenticated ? tempData[Key] as string : null;
}
