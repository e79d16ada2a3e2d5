using FluentValidation;
using Microsoft.Extensions.Options;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Deliveries;

public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, FluentOptionsValidator<DeliveryOptions>>();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();

        services.AddSingleton<SuppressionLinks>();
        services.AddSingleton<SignatureListPdf>();
        services.AddSingleton<PdfGate>();
        services.AddSingleton<DeliveryLanguage>();
        services.AddScoped<RecipientLinks>();
        services.AddScoped<DeliveryHandler>();
        services.AddScoped<FullListRequests>();
        return services;
    }
}
