using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hive.Messaging;
using Hive.Testing;
using RabbitMQ.Client;

namespace Catalog.Api.Tests;

[Collection(CatalogCollection.Name)]
public sealed class OutboxTests(CatalogFixture catalog)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnUpdateIsPublishedToEveryServicesQueueWithItsNewVersion()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        _ = catalog.Factory.CreateClient(); // the dispatcher runs inside the service

        using var response = await seller.PutAsJsonAsync("/api/catalog/products/16", new { price = 777 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        foreach (var service in new[] { "search", "media", "metrics" })
        {
            var events = await DrainUntilAsync(ProductChangedQueues.For(service), e => e.ProductId == 16 && e.Version == version);
            Assert.Contains(events, e => e.ProductId == 16 && e.Version == version && e.BusinessId == 1 && e.Slug == "kikoi-wrap-16");
        }

        await Eventually.TrueAsync(
            async () => await catalog.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") == 0,
            Deadline,
            "every outbox row is marked published");
    }

    [Fact]
    public async Task WithTheBrokerDownUpdatesSucceedAndTheirEventsLeaveWhenItReturns()
    {
        using var seller = await catalog.SellerClientAsync(CatalogFixture.BusinessA);
        await DrainUntilAsync(ProductChangedQueues.For("media"), _ => false, TimeSpan.FromMilliseconds(300));

        await catalog.RabbitMq.StopAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await seller.PutAsJsonAsync("/api/catalog/products/17", new { stock = 100 + i });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.True(await catalog.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE aggregate_id = 17 AND published_at IS NULL") >= 5);
        }
        finally
        {
            await catalog.RabbitMq.StartAsync();
        }

        var finalVersion = await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = 17");
        var events = await DrainUntilAsync(ProductChangedQueues.For("media"), e => e.ProductId == 17 && e.Version == finalVersion, TimeSpan.FromSeconds(40));
        var versions = events.Where(e => e.ProductId == 17).Select(e => e.Version).ToList();
        Assert.Equal(5, versions.Distinct().Count());
        Assert.Equal(versions.Order().ToList(), versions);
    }

    [Fact]
    public async Task EventsOfOneProductLeaveInVersionOrderEvenWithManyWritersAtOnce()
    {
        var sellers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => catalog.SellerClientAsync(CatalogFixture.BusinessB)));
        await DrainUntilAsync(ProductChangedQueues.For("metrics"), _ => false, TimeSpan.FromMilliseconds(300));

        await Task.WhenAll(sellers.Select(async (seller, i) =>
        {
            for (var n = 0; n < 10; n++)
            {
                using var response = await seller.PutAsJsonAsync($"/api/catalog/products/{(n % 2 == 0 ? 18 : 21)}", new { stock = (i * 100) + n });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));

        var last18 = await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = 18");
        var last21 = await catalog.ScalarAsync<long>("SELECT version FROM products WHERE id = 21");
        var seen = new List<ProductChangedBody>();
        seen.AddRange(await DrainUntilAsync(ProductChangedQueues.For("metrics"), e => e.ProductId == 18 && e.Version == last18));
        if (!seen.Any(e => e.ProductId == 21 && e.Version == last21))
        {
            seen.AddRange(await DrainUntilAsync(ProductChangedQueues.For("metrics"), e => e.ProductId == 21 && e.Version == last21));
        }

        foreach (var id in new long[] { 18, 21 })
        {
            var versions = seen.Where(e => e.ProductId == id).Select(e => e.Version).ToList();
            Assert.Equal(20, versions.Count);
            Assert.Equal(versions.Order().ToList(), versions);
        }
    }

    [Fact]
    public async Task AMalformedOutboxRowIsSetAsideAndDoesNotHoldBackTheProductsLaterEvents()
    {
        await DrainUntilAsync(ProductChangedQueues.For("search"), _ => false, TimeSpan.FromMilliseconds(300));
        await using (var connection = new Npgsql.NpgsqlConnection(catalog.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                """
                INSERT INTO outbox_messages (message_type, aggregate_id, payload) VALUES
                    ('ProductChanged', 23, '{"productId": "not a number"}'),
                    ('ProductChanged', 23, '{"productId":23,"businessId":1,"categoryId":3,"slug":"kikoi-wrap-23","kind":"Updated","version":99,"occurredAt":"2026-11-25T10:00:00Z"}');
                NOTIFY hive_outbox;
                """,
                connection);
            await insert.ExecuteNonQueryAsync();
        }

        var events = await DrainUntilAsync(ProductChangedQueues.For("search"), e => e.ProductId == 23 && e.Version == 99);

        Assert.Contains(events, e => e.ProductId == 23 && e.Version == 99);
        Assert.Equal(1L, await catalog.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE aggregate_id = 23 AND last_error LIKE 'malformed%' AND published_at IS NOT NULL"));
    }

    [Fact]
    public async Task ABacklogOfOneProductsEventsLeavesBackToBackNotOneEveryIdlePoll()
    {
        const int Backlog = 30;
        var productId = await catalog.CreateProductAsync(stock: 5);
        _ = catalog.Factory.Services; // the dispatcher runs inside the service
        await RabbitMqTopology.DeclareProductChangedQueuesAsync(catalog.RabbitMqUri, CancellationToken.None);
        await DrainUntilAsync(ProductChangedQueues.For("media"), _ => false, TimeSpan.FromMilliseconds(300));
        var rows = string.Join(",\n", Enumerable.Range(1, Backlog).Select(version =>
            $$"""('ProductChanged', {{productId}}, '{"productId":{{productId}},"businessId":1,"categoryId":3,"slug":"backlog-{{productId}}","kind":"Updated","version":{{version}},"occurredAt":"2026-11-26T10:00:00Z"}')"""));
        await using (var connection = new Npgsql.NpgsqlConnection(catalog.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                $"INSERT INTO outbox_messages (message_type, aggregate_id, payload) VALUES {rows}; NOTIFY hive_outbox;", connection);
            await insert.ExecuteNonQueryAsync();
        }

        // A round may take only the product's oldest unpublished row, and there is one NOTIFY: were each round
        // followed by the idle wait (2 s), the backlog would take a minute.
        var events = await DrainUntilAsync(
            ProductChangedQueues.For("media"), e => e.ProductId == productId && e.Version == Backlog, TimeSpan.FromSeconds(30));

        Assert.Equal(
            Enumerable.Range(1, Backlog).Select(v => (long)v).ToList(),
            events.Where(e => e.ProductId == productId).Select(e => e.Version).ToList());
    }

    /// <summary>Reads messages off a queue (as the services would) until one matches or the deadline passes.</summary>
    private async Task<List<ProductChangedBody>> DrainUntilAsync(string queue, Func<ProductChangedBody, bool> done, TimeSpan? deadline = null)
    {
        var factory = new ConnectionFactory { Uri = catalog.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var received = new List<ProductChangedBody>();
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        while (DateTime.UtcNow < until)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: true);
            if (message is null)
            {
                await Task.Delay(20);
                continue;
            }

            using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span));
            var body = envelope.RootElement.GetProperty("message").Deserialize<ProductChangedBody>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            received.Add(body);
            if (done(body))
            {
                return received;
            }
        }

        if (deadline is null)
        {
            throw new TimeoutException($"No matching event on {queue}; saw {received.Count}.");
        }

        return received;
    }

    private sealed record ProductChangedBody(long ProductId, long BusinessId, int CategoryId, string Slug, string Kind, long Version);
}
