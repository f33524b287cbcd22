using Hive.Contracts;
using Hive.Messaging;
using Hive.Messaging.Outbox;
using Npgsql;

namespace Catalog.Api.Outbox;

/// <summary>
/// Catalog's outbox (table <c>outbox_messages</c>, channel <c>hive_outbox</c>): every product write appends
/// its <see cref="ProductChanged"/> here in the write's own transaction, and Hive.Messaging's dispatcher
/// publishes it to every service's queue (settings <c>Catalog:Outbox</c>).
/// </summary>
public static class CatalogOutbox
{
    public const string Section = "Catalog:Outbox";

    public static readonly OutboxTable<ProductChanged> Table = new(
        "outbox_messages",
        "hive_outbox",
        change => change is { ProductId: > 0, Version: > 0 } && !string.IsNullOrEmpty(change.Slug),
        RabbitMqTopology.DeclareProductChangedQueuesAsync,
        (span, change) =>
        {
            span.SetTag("hive.product.id", change.ProductId);
            span.SetTag("hive.product.version", change.Version);
        });

    /// <summary>Appends the event inside the caller's transaction; it is published if and only if that commits.</summary>
    public static Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ProductChanged change, CancellationToken cancellationToken)
        => OutboxWriter.AppendAsync(Table, connection, transaction, change.ProductId, change, cancellationToken);
}
