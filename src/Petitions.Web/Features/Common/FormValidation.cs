using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Petitions.Web.Features.Common;

/// <summary>
/// Validates a posted form once, with its FluentValidation validator: ModelState then holds exactly the validator's
/// errors (the model binder's are dropped, the validator speaks for every field), in form order for the error summary.
/// </summary>
public static class FormValidation
{
    public static bool Validate<T>(this ModelStateDictionary modelState, IValidator<T> validator, T form, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(validator);
        return Apply(modelState, validator.Validate(form), prefix);
    }

    /// <summary>With the form's IValidator&lt;T&gt; from <paramref name="services"/>.</summary>
    public static bool Validate<T>(this ModelStateDictionary modelState, IServiceProvider services, T form, string prefix = "") =>
        modelState.Validate(services.GetRequiredService<IValidator<T>>(), form, prefix);

    public static async Task<bool> ValidateAsync<T>(this ModelStateDictionary modelState, IValidator<T> validator, T form, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(validator);
        return Apply(modelState, await validator.ValidateAsync(form, cancellationToken), prefix);
    }

    private static bool Apply(ModelStateDictionary modelState, FluentValidation.Results.ValidationResult result, string prefix)
    {
        modelState.Clear();
        modelState.AddErrors(result, prefix);
        return result.IsValid;
    }
}
