namespace Petitions.Web.Features.Notifications;

public static class NotificationServices
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<SupporterNotices>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddHostedService<NotificationWorker>();
        return services;
    }
}
