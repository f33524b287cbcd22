using System.Text;
using System.Text.Json;
using Hive.Messaging;
using Npgsql;
using RabbitMQ.Client;

namespace Catalog.Api.Tests;

/// <summary>
/// With several catalog replicas, each runs an outbox dispatcher over the same table. While one replica is
/// publishing a product's oldest event, no other may publish that product's later events: consumers would
/// see them out of order, and the version ledger would then skip the older one as stale.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class OutboxReplicaTests(CatalogFixture catalog)
{
    private const long ProductId = 43; // business A, category 3
    private const long MarkerProductId = 44;
    private const int Events = 8;

    [Fact]
    public async Task WhileAnotherReplicaPublishesAProductsOldestEventItsLaterEventsWait()
    {
        var queue = ProductChangedQueues.For("metrics");
        _ = catalog.Factory.Services; // the dispatcher runs inside the service
        await RabbitMqTopology.DeclareProductChangedQueuesAsync(catalog.RabbitMqUri, CancellationToken.None);
        await DrainAsync(queue, (_, _) => false, TimeSpan.FromMilliseconds(300));
        await using var db = new NpgsqlConnection(catalog.ConnectionString);
        await db.OpenAsync();

        // Another replica is mid-publish on the product's oldest row: it holds that row's lock, unpublished.
        // Rows 2..n are parked (marked published) until the lock is held, so no dispatcher sees them early.
        var (first, otherReplica) = await LockOldestRowAsync(db);
        await using (otherReplica)
        {
            await ExecuteAsync(db, $"UPDATE outbox_messages SET published_at = NULL WHERE aggregate_id = {ProductId} AND id > {first} AND last_error = 'parked'; NOTIFY hive_outbox;");

            // A marker event of another product, queued after them, shows a dispatch round has run.
            await ExecuteAsync(db, $"INSERT INTO outbox_messages (message_type, aggregate_id, payload) VALUES {Row(MarkerProductId, 1)}; NOTIFY hive_outbox;");
            var early = await DrainAsync(queue, (product, _) => product == MarkerProductId, TimeSpan.FromSeconds(30));
            Assert.Contains(early, e => e.Product == MarkerProductId);
            Assert.DoesNotContain(early, e => e.Product == ProductId);

            await otherReplica.RollbackAsync(); // that replica gave up; its row is still unpublished
        }

        await ExecuteAsync(db, "NOTIFY hive_outbox;");
        var seen = await DrainAsync(queue, (product, version) => product == ProductId && version == 1000 + Events, TimeSpan.FromSeconds(60));

        Assert.Equal(
            Enumerable.Range(1001, Events).Select(v => (long)v).ToList(),
            seen.Where(e => e.Product == ProductId).Select(e => e.Version).ToList());
    }

    /// <summary>Inserts the product's rows (all but the first parked) and locks the first in an open transaction.</summary>
    private async Task<(long First, NpgsqlTransaction Lock)> LockOldestRowAsync(NpgsqlConnection db)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var rows = string.Join(",\n", Enumerable.Range(1, Events).Select(n => Row(ProductId, 1000 + n)));
            await ExecuteAsync(db, $"""
                UPDATE outbox_messages SET published_at = now() WHERE aggregate_id = {ProductId} AND published_at IS NULL;
                INSERT INTO outbox_messages (message_type, aggregate_id, payload, published_at, last_error)
                SELECT message_type, aggregate_id, payload::jsonb, CASE WHEN n = 1 THEN NULL ELSE now() END, CASE WHEN n = 1 THEN NULL ELSE 'parked' END
                FROM (VALUES {rows}) AS v(message_type, aggregate_id, payload) CROSS JOIN LATERAL (SELECT (payload::jsonb->>'version')::int - 1000 AS n) k;
                """);
            var first = await catalog.ScalarAsync<long>(
                $"SELECT min(id) FROM outbox_messages WHERE aggregate_id = {ProductId} AND published_at IS NULL");

            var other = new NpgsqlConnection(catalog.ConnectionString);
            await other.OpenAsync();
            var tx = await other.BeginTransactionAsync();
            await using var take = new NpgsqlCommand(
                $"SELECT id FROM outbox_messages WHERE id = {first} AND published_at IS NULL FOR UPDATE NOWAIT", other, tx);
            try
            {
                if (await take.ExecuteScalarAsync() is long)
                {
                    return (first, tx);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
            }

            // A dispatcher took the row first: park this attempt's rows and try again.
            await tx.DisposeAsync();
            await other.DisposeAsync();
            await ExecuteAsync(db, $"UPDATE outbox_messages SET published_at = now(), last_error = 'abandoned' WHERE aggregate_id = {ProductId} AND (published_at IS NULL OR last_error = 'parked')");
        }

        throw new InvalidOperationException("Could not take the oldest outbox row before a dispatcher did.");
    }

    private static string Row(long productId, int version) =>
        $$"""('ProductChanged', {{productId}}, '{"productId":{{productId}},"businessId":1,"categoryId":3,"slug":"kikoi-wrap-{{productId}}","kind":"Updated","version":{{version}},"occurredAt":"2026-11-26T10:00:00Z"}')""";

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Product and version of each event read off a queue, in arrival order, until one matches or the deadline passes.</summary>
    private async Task<List<(long Product, long Version)>> DrainAsync(string queue, Func<long, long, bool> done, TimeSpan deadline)
    {
        var factory = new ConnectionFactory { Uri = catalog.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var events = new List<(long Product, long Version)>();
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(20);
                continue;
            }

            using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span));
            var body = envelope.RootElement.GetProperty("message");
            var product = body.GetProperty("productId").GetInt64();
            var version = body.GetProperty("version").GetInt64();
            events.Add((product, version));
            if (done(product, version))
            {
                break;
            }
        }

        return events;
    }
}
