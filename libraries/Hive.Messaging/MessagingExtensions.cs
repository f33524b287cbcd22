using Hive.Caching;
using Hive.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hive.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// MassTransit on RabbitMQ (connection string <c>rabbitmq</c>, an amqp:// URI) with this service's durable
    /// <c>{service}-product-changed</c> queue: bounded retries, then the <c>_error</c> queue, never a silent ack.
    /// <typeparamref name="THandler"/> drops what the service's namespace holds about the product.
    /// <paramref name="addConsumers"/> and <paramref name="addEndpoints"/> add a service's other consumers to
    /// the same bus (one bus per service).
    /// </summary>
    public static IHostApplicationBuilder AddProductChangeConsumer<THandler>(
        this IHostApplicationBuilder builder,
        string service,
        Action<IBusRegistrationConfigurator>? addConsumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? addEndpoints = null)
        where THandler : class, IProductChangeHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(service);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ProductVersionLedger>();
        builder.Services.AddSingleton<InvalidationLag>();
        builder.Services.AddScoped<IProductChangeHandler, THandler>();

        var uri = RabbitMqUri(builder.Configuration);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<ProductChangedConsumer>();
            addConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                ConfigureHost(rabbit, uri);
                rabbit.ReceiveEndpoint(ProductChangedQueues.For(service), endpoint =>
                {
                    endpoint.PrefetchCount = 64;
                    endpoint.UseMessageRetry(retry =>
                    {
                        retry.Ignore<InvalidProductChangedException>();
                        retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
                    });
                    endpoint.ConfigureConsumer<ProductChangedConsumer>(context);
                });
                addEndpoints?.Invoke(context, rabbit);
            });
        });
        return builder;
    }

    /// <summary>
    /// Maps <c>/admin/invalidation/lag</c> (admins only): GET reads recent change-to-eviction delays in this
    /// service; DELETE reads and clears them (a GET never changes state).
    /// </summary>
    public static IEndpointRouteBuilder MapInvalidationLag(this IEndpointRouteBuilder app)
    {
        const string path = "/admin/invalidation/lag";
        app.MapGet(path, (InvalidationLag lag) => TypedResults.Ok(lag.Snapshot(reset: false)))
            .WithName("GetInvalidationLag")
            .RequireAuthorization(CacheStatisticsEndpoint.AdminPolicy)
            .ExcludeFromDescription();
        app.MapDelete(path, (InvalidationLag lag) => TypedResults.Ok(lag.Snapshot(reset: true)))
            .WithName("ResetInvalidationLag")
            .RequireAuthorization(CacheStatisticsEndpoint.AdminPolicy)
            .ExcludeFromDescription();
        return app;
    }

    public static Uri RabbitMqUri(IConfiguration configuration)
    {
        var text = configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionName}' is missing (an amqp:// URI).");
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"
            ? uri
            : throw new InvalidOperationException($"Connection string '{ConnectionName}' must be an amqp:// URI.");
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator rabbit, Uri uri)
    {
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        rabbit.Host(uri.Host, (ushort)(uri.Port > 0 ? uri.Port : 5672), uri.AbsolutePath is "" or "/" ? "/" : uri.AbsolutePath.TrimStart('/'), host =>
        {
            if (credentials.Length == 2)
            {
                host.Username(credentials[0]);
                host.Password(credentials[1]);
            }

            host.PublisherConfirmation = true;
            host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
        });
        rabbit.Message<ProductChanged>(message => message.SetEntityName(RabbitMqTopology.ProductChangedExchange));
    }
}
