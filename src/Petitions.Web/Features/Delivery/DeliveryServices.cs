namespace Petitions.Web.Features.Delivery;

public static class DeliveryServices
{
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services;
}
