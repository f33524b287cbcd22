using Hive.Caching;
using Hive.Messaging;
using Hive.Messaging.Outbox;
using Media.Api.Apis;
using Media.Api.Data;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Media.Api.Storage;

namespace Media.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddHiveDatabase("hive");
        builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure);
        builder.AddHiveCaching("media");

        builder.Services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.SectionName)
            .PostConfigure(options =>
            {
                // CLOUDINARY_URL (cloudinary://key:secret@cloud), as Cloudinary's own tools read it.
                if (!options.Cloudinary.Enabled && CloudinaryUrls.Parse(builder.Configuration["CLOUDINARY_URL"]) is { } account)
                {
                    options.Cloudinary = account;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        VipsLimits.Apply();
        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddSingleton<LocalFolderMediaStore>();
        builder.Services.AddSingleton<IMediaStore, DemoOriginalStore>();
        builder.Services.AddSingleton<MediaImages>();
        builder.Services.AddSingleton<ImageDirectory>();
        builder.Services.AddSingleton<FaceFinder>();
        builder.Services.AddSingleton<Renderer>();
        builder.Services.AddSingleton<RenderSlots>();
        builder.Services.AddSingleton<DiskRenderingCache>();
        builder.Services.AddSingleton<RenderingService>();
        builder.Services.AddSingleton<UrlSigner>();
        builder.Services.AddSingleton<MediaUrls>();
        builder.Services.AddSingleton<VariantSets>();
        builder.Services.AddScoped<ImageIntake>();
        builder.Services.AddExceptionHandler<MediaExceptionHandler>();

        builder.AddProductChangeConsumer<MediaProductChangeHandler>("media");
        builder.AddOutbox(MediaOutbox.Table, "Media:Outbox");
        builder.AddSellerAuthentication();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
