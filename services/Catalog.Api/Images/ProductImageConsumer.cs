using Catalog.Api.Outbox;
using Hive.Contracts;
using MassTransit;
using Npgsql;

namespace Catalog.Api.Images;

/// <summary>
/// Media announced an image of a product (<see cref="ProductImageChanged"/>): catalog, the owner of the
/// product row, records it in product_images and, in the same transaction, bumps the product's version
/// and appends a <see cref="ProductChanged"/> to the outbox, so every service drops what it cached.
/// A redelivered event changes nothing and announces nothing.
/// </summary>
public sealed class ProductImageConsumer(NpgsqlDataSource db, TimeProvider clock) : IConsumer<ProductImageChanged>
{
    // Declared in Hive.Messaging, where media's outbox dispatcher declares the queue before its first publish.
    public const string Queue = Hive.Messaging.RabbitMqTopology.CatalogProductImagesQueue;

    public static void Endpoint(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        rabbit.ReceiveEndpoint(Queue, endpoint =>
        {
            endpoint.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)));
            endpoint.ConfigureConsumer<ProductImageConsumer>(context);
        });
    }

    public async Task Consume(ConsumeContext<ProductImageChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = context.Message;
        var cancellationToken = context.CancellationToken;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);

        await using var change = image.Kind == ProductImageChangeKind.Deleted
            ? new NpgsqlCommand("DELETE FROM product_images WHERE media_image_id = $1", connection, tx)
            {
                Parameters = { new NpgsqlParameter<long> { TypedValue = image.ImageId } },
            }
            : new NpgsqlCommand(
                """
                INSERT INTO product_images (product_id, url, position, width, height, alt_text, media_image_id, placeholder)
                SELECT $2, $3, $4, $5, $6, $7, $1, $8 WHERE EXISTS (SELECT 1 FROM products WHERE id = $2)
                ON CONFLICT (media_image_id) DO UPDATE
                   SET url = EXCLUDED.url, position = EXCLUDED.position, width = EXCLUDED.width, height = EXCLUDED.height,
                       alt_text = EXCLUDED.alt_text, placeholder = EXCLUDED.placeholder
                 WHERE (product_images.url, product_images.placeholder) IS DISTINCT FROM (EXCLUDED.url, EXCLUDED.placeholder)
                """,
                connection,
                tx)
            {
                Parameters =
                {
                    new NpgsqlParameter<long> { TypedValue = image.ImageId },
                    new NpgsqlParameter<long> { TypedValue = image.ProductId },
                    new NpgsqlParameter<string> { TypedValue = image.CardUrl },
                    new NpgsqlParameter<short> { TypedValue = (short)Math.Clamp(image.Position, 0, short.MaxValue) },
                    new NpgsqlParameter<int> { TypedValue = image.Width },
                    new NpgsqlParameter<int> { TypedValue = image.Height },
                    new NpgsqlParameter<string> { TypedValue = image.AltText },
                    new NpgsqlParameter<string> { TypedValue = image.Placeholder },
                },
            };
        if (await change.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            // Already recorded (a redelivery), already gone, or the product no longer exists.
            await tx.RollbackAsync(cancellationToken);
            return;
        }

        await using var bump = new NpgsqlCommand(
            "UPDATE products SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING business_id, category_id, slug, version",
            connection,
            tx)
        {
            Parameters = { new NpgsqlParameter<long> { TypedValue = image.ProductId } },
        };
        await using (var reader = await bump.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.CloseAsync();
                await tx.RollbackAsync(cancellationToken);
                return;
            }

            var changed = new ProductChanged(image.ProductId, reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), ProductChangeKind.Updated, reader.GetInt64(3), clock.GetUtcNow());
            await reader.CloseAsync();
            await CatalogOutbox.AppendAsync(connection, tx, changed, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }
}
