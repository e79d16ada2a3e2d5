using FluentValidation;
using Microsoft.Extensions.Options;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Retention;

public static class RetentionServices
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<RetentionOptions>, RetentionOptionsValidator>();
        services.AddSingleton<IValidateOptions<RetentionOptions>, FluentOptionsValidator<RetentionOptions>>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
        return services;
    }
}
