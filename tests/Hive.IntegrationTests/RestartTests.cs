using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;

namespace Hive.IntegrationTests;

/// <summary>
/// The run command keeps the fleet's data in a folder: an AppHost stopped after an order and a queued
/// event, started again on the same folder, finds both, runs no migration twice and seeds nothing twice.
/// Its own fleets (started twice), so it disturbs no other test.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private const string ProbeQueue = "hive-restart-probe";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "hive-restart-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the folder is under /tmp.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnOrderAndAQueuedEventSurviveAnAppHostRestartOnTheSameDataFolder()
    {
        long orderId;
        long products;
        long migrations;
        var eventBody = "restart-probe-" + Guid.NewGuid().ToString("N");
        await using (var first = await StartAsync())
        {
            products = await ScalarAsync(first, "SELECT count(*) FROM products");
            migrations = await ScalarAsync(first, "SELECT count(*) FROM schemaversions");
            var productId = await ScalarAsync(first, "SELECT min(id) FROM products WHERE status = 'active' AND stock > 0");

            using var gateway = first.CreateHttpClient("gateway");
            gateway.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Bearer", await FleetClient.AccessTokenAsync(gateway, "buyer-1@hive.test", FleetFixture.DemoPassword));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/orders")
            {
                Content = JsonContent.Create(new
                {
                    customerName = "Amina",
                    customerPhone = "+254712345678",
                    deliveryCounty = "Nairobi",
                    lines = new[] { new { productId, quantity = 1 } },
                }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var placed = await gateway.SendAsync(request);
            Assert.True(placed.IsSuccessStatusCode, $"order: {(int)placed.StatusCode} {await placed.Content.ReadAsStringAsync()}");
            orderId = (await placed.Content.ReadFromJsonAsync<OrderBody>())!.Id;

            // An event nobody has consumed yet: persistent, on a durable queue.
            await using var connection = await RabbitAsync(first);
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync(ProbeQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync(string.Empty, ProbeQueue, false, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(eventBody));

            await first.StopAsync();
        }

        await using var second = await StartAsync();
        Assert.Equal(1, await ScalarAsync(second, $"SELECT count(*) FROM orders WHERE id = {orderId}"));
        Assert.Equal(products, await ScalarAsync(second, "SELECT count(*) FROM products"));
        Assert.Equal(migrations, await ScalarAsync(second, "SELECT count(*) FROM schemaversions"));

        await using var again = await RabbitAsync(second);
        await using var probe = await again.CreateChannelAsync();
        var message = await probe.BasicGetAsync(ProbeQueue, autoAck: true);
        Assert.NotNull(message);
        Assert.Equal(eventBody, Encoding.UTF8.GetString(message.Body.Span));

        using var client = second.CreateHttpClient("gateway");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/catalog/categories")).StatusCode);
    }

    private async Task<DistributedApplication> StartAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(
            ["--Hive:Infrastructure=Executables", "--Hive:Seed=demo", $"--Hive:DataFolder={_dataFolder}", $"--Hive:DemoPassword={FleetFixture.DemoPassword}"]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await using var log = FleetLog.Follow(app);
        await FleetFixture.StartAndWaitAsync(app, log, timeout.Token);
        return app;
    }

    private static async Task<long> ScalarAsync(DistributedApplication app, string sql)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync("hive"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IConnection> RabbitAsync(DistributedApplication app)
        => await new ConnectionFactory { Uri = new Uri((await app.GetConnectionStringAsync("rabbitmq"))!) }.CreateConnectionAsync();

    private sealed record OrderBody(long Id);
}
