namespace Petitions.Web.Features.Deliveries;

public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services;
}
