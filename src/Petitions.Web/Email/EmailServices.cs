using Petitions.Web.Infrastructure;

namespace Petitions.Web.Email;

public static class EmailServices
{
    /// <summary>SMTP settings, the Razor email renderer, the outbox and its sending worker.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SmtpOptions, SmtpOptionsValidator>(configuration, SmtpOptions.Section);
        services.AddValidatedOptions<EmailOptions, EmailOptionsValidator>(configuration, EmailOptions.Section);
        services.AddSingleton<EmailRenderer>();
        services.AddSingleton<DeferredEmails>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<EmailThrottle>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
