using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Petitions.Web.Features.Common;

public static class FieldIds
{
    /// <summary>The HTML id the tag helpers give a property, so error links land on their field.</summary>
    public static string For(string modelStateKey) =>
        string.IsNullOrEmpty(modelStateKey) ? "main" : modelStateKey.Replace('.', '_').Replace('[', '_').Replace(']', '_');

    public static void AddErrors(this ModelStateDictionary modelState, FluentValidation.Results.ValidationResult result, string prefix = "")
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(prefix + error.PropertyName, error.ErrorMessage);
        }
    }

    public static string? ErrorFor(this ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
