using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hive.Messaging.Analytics;

public static class AnalyticsExtensions
{
    /// <summary>
    /// Lets the service record analytics events (<see cref="AnalyticsRecorder"/>), published in batches on
    /// the bus the service already has (<see cref="MessagingExtensions.AddProductChangeConsumer{THandler}"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAnalyticsRecording(this IHostApplicationBuilder builder, string source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(source);
        builder.Services.AddOptions<AnalyticsOptions>()
            .BindConfiguration(AnalyticsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AnalyticsRecorder>();
        builder.Services.AddHostedService(sp => new AnalyticsPublisher(
            sp.GetRequiredService<AnalyticsRecorder>(),
            sp.GetRequiredService<IBus>(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<IOptions<AnalyticsOptions>>(),
            source,
            sp.GetRequiredService<ILogger<AnalyticsPublisher>>()));
        return builder;
    }
}
