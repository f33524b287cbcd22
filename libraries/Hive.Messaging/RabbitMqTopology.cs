using Hive.Contracts;
using RabbitMQ.Client;

namespace Hive.Messaging;

/// <summary>
/// Declares, the way MassTransit does, the ProductChanged exchange and every service's queue bound to it:
/// message exchange → endpoint exchange → queue, all durable fanouts. Declarations are idempotent, so
/// MassTransit's own later declarations match these.
/// </summary>
public static class RabbitMqTopology
{
    public static string ProductChangedExchange => $"{typeof(ProductChanged).Namespace}:{nameof(ProductChanged)}";

    public static string ProductImageChangedExchange => $"{typeof(ProductImageChanged).Namespace}:{nameof(ProductImageChanged)}";

    /// <summary>Catalog's queue of media's image announcements (catalog's ProductImageConsumer reads it).</summary>
    public const string CatalogProductImagesQueue = "catalog-product-images";

    /// <summary>The ProductImageChanged exchange and catalog's queue bound to it, as MassTransit declares them.</summary>
    public static async Task DeclareProductImageQueueAsync(Uri amqp, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = amqp, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var connection = await factory.CreateConnectionAsync("hive-topology", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(ProductImageChangedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(CatalogProductImagesQueue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(CatalogProductImagesQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(CatalogProductImagesQueue, CatalogProductImagesQueue, string.Empty, cancellationToken: cancellationToken);
        await channel.ExchangeBindAsync(CatalogProductImagesQueue, ProductImageChangedExchange, string.Empty, cancellationToken: cancellationToken);
    }

    public static async Task DeclareProductChangedQueuesAsync(Uri amqp, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = amqp, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var connection = await factory.CreateConnectionAsync("hive-topology", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(ProductChangedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var service in ProductChangedQueues.Services)
        {
            var queue = ProductChangedQueues.For(service);
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, queue, string.Empty, cancellationToken: cancellationToken);
            await channel.ExchangeBindAsync(queue, ProductChangedExchange, string.Empty, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The analytics exchange and the metrics service's queue bound to it, as MassTransit declares them.</summary>
    public static async Task DeclareAnalyticsQueueAsync(Uri amqp, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = amqp, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var connection = await factory.CreateConnectionAsync("hive-topology", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(AnalyticsQueues.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(AnalyticsQueues.Events, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(AnalyticsQueues.Events, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(AnalyticsQueues.Events, AnalyticsQueues.Events, string.Empty, cancellationToken: cancellationToken);
        await channel.ExchangeBindAsync(AnalyticsQueues.Events, AnalyticsQueues.Exchange, string.Empty, cancellationToken: cancellationToken);
    }
}
