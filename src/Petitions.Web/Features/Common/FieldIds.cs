using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Petitions.Web.Features.Common;

public static class FieldIds
{
    /// <summary>The HTML id the tag helpers give a property, so error links land on their field.</summary>
    public static string For(string modelStateKey) =>
        string.IsNullOrEmpty(modelStateKey) ? "main" : modelStateKey.Replace('.', '_').Replace('[', '_').Replace(']', '_');

    // ModelState does not keep insertion order; the summary lists errors in the order the validator (and form) has them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ModelStateDictionary, List<string>> Order = [];

    public static void AddErrors(this ModelStateDictionary modelState, FluentValidation.Results.ValidationResult result, string prefix = "")
    {
        var order = Order.GetOrCreateValue(modelState);
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(prefix + error.PropertyName, error.ErrorMessage);
            order.Add(prefix + error.PropertyName);
        }
    }

    /// <summary>Every error with its key, in form order where known.</summary>
    public static IEnumerable<(string Key, string Message)> OrderedErrors(this ModelStateDictionary modelState)
    {
        var order = Order.TryGetValue(modelState, out var known) ? known : [];
        return modelState
            .Where(e => e.Value!.Errors.Count > 0)
            .OrderBy(e => order.FindIndex(k => string.Equals(k, e.Key, StringComparison.OrdinalIgnoreCase)) is var i && i >= 0 ? i : int.MaxValue)
            .SelectMany(e => e.Value!.Errors.Select(error => (e.Key, error.ErrorMessage)));
    }

    public static string? ErrorFor(this ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
