using System.Collections.Concurrent;
using Hive.Caching;
using Hive.Contracts;
using Hive.Messaging;
using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hive.Messaging.Tests;

/// <summary>What the test service's handler saw; it can be told to fail for a product.</summary>
public sealed class HandledChanges
{
    public ConcurrentQueue<ProductChanged> Handled { get; } = new();

    public ConcurrentDictionary<long, int> Attempts { get; } = new();

    public ConcurrentDictionary<long, bool> AlwaysFail { get; } = new();

    /// <summary>How long the handler takes for a product (none unless set).</summary>
    public ConcurrentDictionary<long, TimeSpan> Takes { get; } = new();
}

internal sealed class RecordingHandler(HandledChanges changes) : IProductChangeHandler
{
    public async Task HandleAsync(ProductChanged change, CancellationToken cancellationToken)
    {
        if (changes.Takes.TryGetValue(change.ProductId, out var takes))
        {
            await Task.Delay(takes, cancellationToken);
        }

        changes.Attempts.AddOrUpdate(change.ProductId, 1, (_, n) => n + 1);
        if (changes.AlwaysFail.ContainsKey(change.ProductId))
        {
            throw new InvalidOperationException($"handler failure for product {change.ProductId}");
        }

        changes.Handled.Enqueue(change);
    }
}

/// <summary>A service host with the real consumer wiring (MassTransit on RabbitMQ, ledger in Redis) and a recording handler.</summary>
public sealed class ConsumerHostFixture : IAsyncLifetime
{
    public const string Service = "testsvc";

    private readonly RedisFixture _redis = new();
    private readonly RabbitMqFixture _rabbit = new();
    private IHost? _host;

    public HandledChanges Changes => Host.Services.GetRequiredService<HandledChanges>();

    public IHost Host => _host!;

    public Uri RabbitMqUri => _rabbit.Uri;

    public string RedisConfiguration => _redis.Configuration;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_redis.InitializeAsync(), _rabbit.InitializeAsync());
        _host = (await ServiceBuilderAsync(Service, _rabbit.Uri, _redis.Configuration)).Build();
        await RabbitMqTopology.DeclareProductChangedQueuesAsync(_rabbit.Uri, CancellationToken.None);
        await _host.StartAsync();

        // The bus connects and binds this test service's queue in the background; an event published before
        // that would reach no queue (in the fleet the publisher declares every service's queue first).
        await Eventually.TrueAsync(
            async () =>
            {
                var factory = new RabbitMQ.Client.ConnectionFactory { Uri = _rabbit.Uri };
                await using var connection = await factory.CreateConnectionAsync();
                await using var channel = await connection.CreateChannelAsync();
                return (await channel.QueueDeclarePassiveAsync(ProductChangedQueues.For(Service))).ConsumerCount > 0;
            },
            TimeSpan.FromSeconds(30),
            "the consumer is listening on its queue");
    }

    /// <summary>A service as Hive composes one: its cache on Redis, its bus on RabbitMQ with the recording handler as its product-change handler.</summary>
    public static async Task<HostApplicationBuilder> ServiceBuilderAsync(string service, Uri broker, string redisConfiguration)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["ConnectionStrings:rabbitmq"] = broker.ToString();
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(redisConfiguration));
        builder.Services.AddHiveCaching(service);
        builder.Services.AddSingleton<HandledChanges>();
        builder.AddProductChangeConsumer<RecordingHandler>(service);
        return builder;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _rabbit.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
