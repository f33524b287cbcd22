using Hive.Caching;
using Hive.Messaging;
using MassTransit;

namespace Metrics.Api.Analytics;

public static class AnalyticsIngestionExtensions
{
    public static IHostApplicationBuilder AddAnalyticsIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsIngestionOptions>()
            .BindConfiguration(AnalyticsIngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AnalyticsStore>();
        builder.Services.AddSingleton<LeaderboardReader>();
        builder.Services.AddSingleton<TrendingBoardWriter>();
        builder.Services.AddSingleton<AnalyticsIngestionStatistics>();
        return builder;
    }

    /// <summary>The analytics consumer on the service's bus (see <see cref="MessagingExtensions.AddProductChangeConsumer{THandler}"/>).</summary>
    public static void AddAnalyticsConsumer(this IBusRegistrationConfigurator bus) => bus.AddConsumer<AnalyticsBatchConsumer>();

    public static void AddAnalyticsEndpoint(this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
        => rabbit.ReceiveEndpoint(AnalyticsQueues.Events, endpoint =>
        {
            endpoint.PrefetchCount = 16;
            endpoint.UseMessageRetry(retry =>
            {
                retry.Ignore<InvalidAnalyticsBatchException>();
                retry.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
            });
            endpoint.ConfigureConsumer<AnalyticsBatchConsumer>(context);
        });
}
