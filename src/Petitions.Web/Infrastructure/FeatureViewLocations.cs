using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Views live beside their feature: a controller in the namespace Petitions.Web.Features.X (or X.Y) finds its views
/// in /Features/X/, then the shared ones in /Features/Common/, whatever the controller is called. No feature finds
/// another's views by name; a view borrowed across features is named by its full path.
/// </summary>
public sealed class FeatureViewLocations : IViewLocationExpander
{
    public const string CommonFolder = "/Features/Common/{0}.cshtml";
    private const string Prefix = "Petitions.Web.Features.";
    private const string FeatureKey = "feature";

    /// <summary>The feature folder of a controller: the namespace segment after Petitions.Web.Features, or null outside it.</summary>
    public static string? FeatureOf(Type controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var ns = controller.Namespace;
        if (ns is null || !ns.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[Prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Where a feature's views are looked for, in order.</summary>
    public static IReadOnlyList<string> LocationsOf(string feature) => [$"/Features/{feature}/{{0}}.cshtml", CommonFolder];

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Part of the view engine's cache key, so each feature's lookups are cached apart.
        context.Values[FeatureKey] = FeatureOf(context.ActionContext.ActionDescriptor);
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Values.TryGetValue(FeatureKey, out var feature) && feature is not null ? LocationsOf(feature) : viewLocations;
    }

    private static string? FeatureOf(ActionDescriptor action) =>
        action is ControllerActionDescriptor controller ? FeatureOf(controller.ControllerTypeInfo) : null;
}
