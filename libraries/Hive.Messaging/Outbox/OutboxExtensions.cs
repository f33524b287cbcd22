using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.Messaging.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// Runs a dispatcher for <paramref name="outbox"/> in this service (settings from <paramref name="section"/>,
    /// see <see cref="OutboxDispatchOptions"/>). The service writes rows with <see cref="OutboxWriter"/> and
    /// needs an <c>NpgsqlDataSource</c> and a MassTransit bus.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TMessage>(this IHostApplicationBuilder builder, OutboxTable<TMessage> outbox, string section)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(outbox);
        builder.Services.AddOptions<OutboxDispatchOptions>(outbox.Table)
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(outbox);
        builder.Services.AddSingleton<OutboxDispatcher<TMessage>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TMessage>>());
        return builder;
    }
}
