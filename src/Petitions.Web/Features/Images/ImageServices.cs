namespace Petitions.Web.Features.Images;

public static class ImageServices
{
    public static IServiceCollection AddPetitionImages(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddScoped<ImageStore>();
        // Rendered sizes are kept in memory for an hour; the browser keeps them for a year.
        services.AddOutputCache(options => options.AddPolicy(ImagesController.ImagePolicy, policy => policy
            .Expire(TimeSpan.FromHours(1))));
        return services;
    }
}
