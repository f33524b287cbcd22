using Hive.Contracts;
using Hive.Messaging;
using Hive.Messaging.Outbox;

namespace Media.Api.Data;

/// <summary>
/// Media's outbox (table <c>media_outbox</c>, channel <c>media_outbox</c>): image announcements to catalog,
/// written with the image row and published by Hive.Messaging's dispatcher (settings <c>Media:Outbox</c>).
/// </summary>
public static class MediaOutbox
{
    public static readonly OutboxTable<ProductImageChanged> Table = new(
        "media_outbox",
        "media_outbox",
        change => change is { ImageId: > 0, ProductId: > 0, Version: > 0 },
        RabbitMqTopology.DeclareProductImageQueueAsync);
}
