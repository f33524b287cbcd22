using System.Security.Cryptography;
using System.Text;
using Catalog.Api.Analytics;
using Catalog.Api.Auth;
using Catalog.Api.Caching;
using Catalog.Api.Data;
using Catalog.Api.Images;
using Catalog.Api.Orders;
using Catalog.Api.Outbox;
using Hive.Caching;
using Hive.Messaging;
using Hive.Messaging.Analytics;
using Hive.Messaging.Outbox;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddHiveDatabase("hive");
        builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure);
        builder.AddHiveCaching("catalog");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProductQueries>();
        builder.Services.AddSingleton<ProductCommands>();
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<OrderService>();

        builder.AddProductChangeConsumer<CatalogProductChangeHandler>(
            "catalog",
            bus => bus.AddConsumer<ProductImageConsumer>(),
            ProductImageConsumer.Endpoint);
        builder.AddAnalyticsRecording("catalog");
        builder.Services.AddSingleton<CatalogAnalytics>();
        builder.Services.AddSingleton<LeaderboardReader>();
        builder.Services.AddSingleton<TrendingFromBoards>();
        builder.AddOutbox(CatalogOutbox.Table, CatalogOutbox.Section);

        builder.AddSellerAuthentication();
    }

    private static void AddSellerAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogAuthOptions>()
            .BindConfiguration(CatalogAuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CatalogAuthOptions>>().Value;
            var secret = options.CursorKey ?? "cursor:" + options.SigningKey;
            return new CursorKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        });

        // Tokens from the identity service (or any OIDC provider), checked through discovery.
        builder.AddHiveAuthentication();
    }
}
