using System.Text;
using Hive.Contracts;
using Hive.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Hive.Messaging.Tests;

/// <summary>
/// The exchanges and queues a publisher declares before its first message, on a real RabbitMQ: a message sent
/// to each exchange reaches every queue bound to it, and everything is durable and shaped the way MassTransit
/// declares it (RabbitMQ refuses a declaration that differs from the existing one).
/// </summary>
public sealed class TopologyTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    private async Task<(IConnection Connection, IChannel Channel)> OpenAsync()
    {
        var connection = await new ConnectionFactory { Uri = rabbit.Uri }.CreateConnectionAsync();
        return (connection, await connection.CreateChannelAsync());
    }

    private async Task AssertRoutesAsync(string exchange, IReadOnlyList<string> queues)
    {
        var (connection, channel) = await OpenAsync();
        await using (connection)
        await using (channel)
        {
            var marker = Guid.NewGuid().ToString("N");
            await channel.BasicPublishAsync(exchange, string.Empty, Encoding.UTF8.GetBytes(marker));
            foreach (var queue in queues)
            {
                var found = await Eventually.SucceedsAsync(
                    async () => await channel.BasicGetAsync(queue, autoAck: true),
                    got => got is not null,
                    TimeSpan.FromSeconds(10),
                    $"the message on {queue}");
                Assert.Equal(marker, Encoding.UTF8.GetString(found!.Body.Span));
            }
        }
    }

    /// <summary>RabbitMQ answers 406 (PRECONDITION_FAILED) to a declaration unlike the existing one.</summary>
    private async Task AssertDeclaredAsAsync(string name, bool isQueue)
    {
        foreach (var unlike in new Func<IChannel, Task>[]
        {
            c => isQueue ? c.QueueDeclareAsync(name, durable: false, exclusive: false, autoDelete: false) : c.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: false, autoDelete: false),
            c => isQueue ? c.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: true) : c.ExchangeDeclareAsync(name, ExchangeType.Direct, durable: true, autoDelete: false),
        })
        {
            var (connection, channel) = await OpenAsync();
            await using (connection)
            await using (channel)
            {
                var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => unlike(channel));
                Assert.Equal((ushort)406, refused.ShutdownReason?.ReplyCode);
            }
        }

        var (c2, ch2) = await OpenAsync();
        await using (c2)
        await using (ch2)
        {
            // Exactly as declared: a durable fanout exchange, a durable queue that outlives its consumers.
            if (isQueue)
            {
                await ch2.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
            }
            else
            {
                await ch2.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false);
            }
        }
    }

    [Fact]
    public async Task AProductChangeReachesTheQueueOfEveryServiceThatConsumesIt()
    {
        await RabbitMqTopology.DeclareProductChangedQueuesAsync(rabbit.Uri, CancellationToken.None);
        await RabbitMqTopology.DeclareProductChangedQueuesAsync(rabbit.Uri, CancellationToken.None);

        Assert.Equal("Hive.Contracts:ProductChanged", RabbitMqTopology.ProductChangedExchange);
        var queues = ProductChangedQueues.Services.Select(ProductChangedQueues.For).ToList();
        Assert.Equal(HiveServices.ProductChangeConsumers.Count, queues.Count);
        await AssertRoutesAsync(RabbitMqTopology.ProductChangedExchange, queues);
        await AssertDeclaredAsAsync(RabbitMqTopology.ProductChangedExchange, isQueue: false);
        foreach (var queue in queues)
        {
            await AssertDeclaredAsAsync(queue, isQueue: false);
            await AssertDeclaredAsAsync(queue, isQueue: true);
        }
    }

    [Fact]
    public Task AnAnalyticsBatchReachesTheMetricsQueue() => AssertOneQueueAsync(
        RabbitMqTopology.DeclareAnalyticsQueueAsync, AnalyticsQueues.Exchange, "Hive.Contracts:AnalyticsBatch", AnalyticsQueues.Events);

    [Fact]
    public Task AnImageAnnouncementReachesCatalogsQueue() => AssertOneQueueAsync(
        RabbitMqTopology.DeclareProductImageQueueAsync, RabbitMqTopology.ProductImageChangedExchange, "Hive.Contracts:ProductImageChanged", RabbitMqTopology.CatalogProductImagesQueue);

    private async Task AssertOneQueueAsync(Func<Uri, CancellationToken, Task> declare, string exchange, string exchangeName, string queue)
    {
        await declare(rabbit.Uri, CancellationToken.None);

        Assert.Equal(exchangeName, exchange);
        await AssertRoutesAsync(exchange, [queue]);
        await AssertDeclaredAsAsync(exchange, isQueue: false);
        await AssertDeclaredAsAsync(queue, isQueue: false);
        await AssertDeclaredAsAsync(queue, isQueue: true);
    }

    [Fact]
    public async Task DeclaringOnABrokerThatIsAwayFailsSoonNotHangs()
    {
        using var closed = new ClosedPort();
        var away = new Uri($"amqp://hive:hive-test@127.0.0.1:{closed.Port}/");

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => RabbitMqTopology.DeclareProductChangedQueuesAsync(away, CancellationToken.None));
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => RabbitMqTopology.DeclareAnalyticsQueueAsync(away, CancellationToken.None));
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => RabbitMqTopology.DeclareProductImageQueueAsync(away, CancellationToken.None));
    }
}
