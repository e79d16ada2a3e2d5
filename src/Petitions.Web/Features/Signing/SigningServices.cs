using Petitions.Web.Email;

namespace Petitions.Web.Features.Signing;

public static class SigningServices
{
    public static IServiceCollection AddSigning(this IServiceCollection services)
    {
        services.AddScoped<Petitions.PetitionPageQuery>();
        services.AddSingleton<SignHandler>();
        services.AddSingleton<ConfirmHandler>();
        services.AddSingleton<Common.SignatureCsv>();
        services.AddDeferredEmail(EmailKind.ConfirmSignature, SigningEmailJson.Default.ConfirmSignatureEmail);
        services.AddDeferredEmail(EmailKind.AlreadySigned, SigningEmailJson.Default.AlreadySignedEmail);
        return services;
    }
}
