using Hive.Caching;
using Hive.Messaging;
using Hive.Messaging.Analytics;
using Search.Api.Caching;
using Search.Api.Data;

namespace Search.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddHiveDatabase("hive", SearchQueries.ConfigureConnection);
        builder.AddRedisClient("redis", configureOptions: HiveRedis.Configure);
        builder.AddHiveCaching("search");

        builder.Services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<SearchQueries>();
        builder.Services.AddSingleton<SearchCache>();

        builder.AddProductChangeConsumer<SearchProductChangeHandler>("search");
        builder.AddAnalyticsRecording("search");
    }
}
