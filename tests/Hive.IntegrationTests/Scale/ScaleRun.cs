using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Hive.IntegrationTests.Scale;

/// <summary>
/// Half a minute of bounded loopback load on the scale fleet, and what it observed. Readers ask for the
/// products through both gateways and straight at every catalog and search replica; one writer per product
/// changes its price (always upwards, so a price tells old from new) and after each change polls every
/// replica until it serves the new price. Meanwhile a queue of the test's own, bound to the ProductChanged
/// exchange, records what the catalog replicas' outbox dispatchers publish; a sampler watches Postgres for
/// materialized-view refreshes running at once and the metrics replicas' logs for who refreshed under which
/// fence; and two buyers spend a small rate-limit budget through both gateways.
/// </summary>
internal sealed partial class ScaleRun
{
    public static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(25);

    /// <summary>The most reads the readers send per second together (the pollers come on top).</summary>
    public const int ReadRateCap = 400;

    /// <summary>How long a replica may take to serve a committed update: generous for a loaded two-core machine.</summary>
    public static readonly TimeSpan FreshnessBound = TimeSpan.FromSeconds(30);

    private const int ProductCount = 4;
    private const int Readers = 24;
    private const string ProductChangedExchange = "Hive.Contracts:ProductChanged";

    private readonly ScaleFleetFixture _fleet;
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentBag<Read> _reads = [];
    private readonly ConcurrentBag<Update> _updates = [];
    private readonly ConcurrentQueue<Published> _published = new();
    private readonly ConcurrentQueue<Refresh> _refreshes = new();
    private readonly ConcurrentQueue<string> _busy = new();
    private readonly ConcurrentBag<int> _refreshSamples = [];

    private ScaleRun(ScaleFleetFixture fleet) => _fleet = fleet;

    public IReadOnlyList<Replica> Replicas { get; private set; } = [];

    public IReadOnlyList<Target> Targets { get; private set; } = [];

    public TimeSpan Duration { get; private set; }

    public IReadOnlyList<Read> Reads => [.. _reads];

    public IReadOnlyList<Update> Updates => [.. _updates.OrderBy(u => u.Returned)];

    /// <summary>Every ProductChanged of the run's products as the test's queue received it, in arrival order.</summary>
    public IReadOnlyList<Published> Messages => [.. _published];

    /// <summary>Every "Refreshed {view} ... under fence {n}" line of the metrics replicas since they started.</summary>
    public IReadOnlyList<Refresh> Refreshes => [.. _refreshes];

    /// <summary>Each time a metrics replica (named) found the refresh lock held by another and skipped its round.</summary>
    public IReadOnlyList<string> FoundBusy => [.. _busy];

    /// <summary>For each sample of pg_stat_activity, how many REFRESH MATERIALIZED VIEW statements were running.</summary>
    public IReadOnlyList<int> RefreshSamples => [.. _refreshSamples];

    public IReadOnlyList<Limited> FirstBuyer { get; private set; } = [];

    public IReadOnlyList<Limited> SecondBuyer { get; private set; } = [];

    public IReadOnlyList<string> FleetWarnings { get; private set; } = [];

    public static async Task<ScaleRun> ExecuteAsync(ScaleFleetFixture fleet)
    {
        var run = new ScaleRun(fleet);
        await run.ExecuteAsync();
        return run;
    }

    private async Task ExecuteAsync()
    {
        var mark = _fleet.Log.Mark;
        Replicas = await ReplicasAsync();
        var clients = Replicas.ToDictionary(r => r.Name, r => new HttpClient { BaseAddress = r.Address, Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            await WaitUntilEveryReplicaIsReadyAsync(clients);

            using var stop = new CancellationTokenSource();
            var refreshLog = Task.Run(() => FollowRefreshesAsync(stop.Token));
            await using var queue = await ListenForProductChangesAsync();

            var products = await PrepareProductsAsync(clients);
            Targets = products;

            _clock.Restart();
            var sampler = Task.Run(() => SampleRefreshesAsync(stop.Token));
            using var load = new CancellationTokenSource(LoadDuration);
            var readers = Enumerable.Range(0, Readers).Select(worker => Task.Run(() => ReadAsync(worker, clients, products, load.Token))).ToList();
            var writers = products.Select(product => Task.Run(() => WriteAsync(product, clients, load.Token))).ToList();
            await Task.Delay(LoadDuration / 3);
            await ProbeRateLimitsAsync();
            await Task.WhenAll(readers.Concat(writers));
            Duration = _clock.Elapsed;

            // Every committed change reaches the test's queue (the outbox retries until confirmed).
            var expected = _updates.Count + products.Count;
            await Eventually.TrueAsync(
                () => Task.FromResult(_updates.All(u => _published.Any(m => m.ProductId == u.ProductId && m.Version >= u.Version))),
                TimeSpan.FromSeconds(60),
                $"the {expected} product changes of the run were published");
            await Eventually.TrueAsync(
                () => Task.FromResult(_refreshes.Select(r => r.Fence).Distinct().Count() >= 2),
                TimeSpan.FromSeconds(30),
                "the metrics replicas' refresh lines were read");

            await stop.CancelAsync();
            await Task.WhenAll(sampler, refreshLog);
            FleetWarnings = _fleet.Log.WarningsSince(mark);
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Each replica of each service at its own address (Aspire's proxy in front spreads requests between them).</summary>
    private async Task<IReadOnlyList<Replica>> ReplicasAsync()
    {
        string[] services = ["catalog", "search", "media", "metrics", "gateway"];
        var states = await _fleet.CurrentStatesAsync();
        return states.Values
            .Where(state => services.Contains(state.Resource.Name))
            .Select(state => (state, urls: state.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value))
            .Where(pair => pair.urls is not null)
            .Select(pair => new Replica(pair.state.Resource.Name, pair.state.ResourceId, new Uri(pair.urls!.Split(';')[0].Replace("localhost", "127.0.0.1", StringComparison.Ordinal))))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Aspire calls a resource with replicas healthy before all of them are; on the loaded machine the last
    /// replicas can take minutes more. A replica still not ready at the deadline is named with its last lines.
    /// </summary>
    private async Task WaitUntilEveryReplicaIsReadyAsync(Dictionary<string, HttpClient> clients)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answers = await Task.WhenAll(clients.Select(async pair => (pair.Key, Ready: await ReadyAsync(pair.Value))));
            var waiting = answers.Where(a => !a.Ready).Select(a => a.Key).ToList();
            if (waiting.Count == 0)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(8))
            {
                Assert.Fail($"Not ready at their own address after {deadline.Elapsed.TotalMinutes:0} min: {string.Join(", ", waiting)}{Environment.NewLine}"
                    + string.Join(Environment.NewLine, waiting.Select(_fleet.Log.LastLines)));
            }

            await Task.Delay(500);
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Products of the run: each gets a name of its own (so a search for it finds exactly it), and every
    /// replica serves that before the load starts.
    /// </summary>
    private async Task<IReadOnlyList<Target>> PrepareProductsAsync(Dictionary<string, HttpClient> clients)
    {
        var targets = new List<Target>();
        for (var i = 0; i < ProductCount; i++)
        {
            var product = await FleetClient.AnyActiveProductAsync(_fleet.Gateway, skip: i * 3);
            using var seller = await FleetClient.SellerAsync(_fleet, product.BusinessId);
            var name = $"Mzani skala {Guid.NewGuid():N}"[..24];
            using var renamed = await seller.PutAsJsonAsync($"/api/catalog/products/{product.Id}", new { name });
            Assert.True(renamed.IsSuccessStatusCode, $"rename of product {product.Id}: {(int)renamed.StatusCode} {await renamed.Content.ReadAsStringAsync()}");
            var body = await renamed.Content.ReadFromJsonAsync<JsonElement>();
            targets.Add(new Target(product.Id, name, body.GetProperty("price").GetDecimal(), body.GetProperty("version").GetInt64(), seller.DefaultRequestHeaders.Authorization!));
        }

        foreach (var target in targets)
        {
            foreach (var replica in Replicas.Where(r => r.Service is "catalog" or "search"))
            {
                await Eventually.TrueAsync(
                    async () => await PriceAsync(clients[replica.Name], replica.Service, target) is { } price && price == target.StartPrice,
                    TimeSpan.FromSeconds(60),
                    $"{replica.Name} serves product {target.Id} under its new name");
            }
        }

        return targets;
    }

    /// <summary>
    /// Reads at a bounded rate: product by id through the gateways and at each catalog replica, the
    /// product's search through the gateways and at each search replica.
    /// </summary>
    private async Task ReadAsync(int worker, Dictionary<string, HttpClient> clients, IReadOnlyList<Target> products, CancellationToken stop)
    {
        var routes = Replicas
            .SelectMany(r => r.Service switch
            {
                "gateway" => new[] { (r.Name, Service: "catalog"), (r.Name, Service: "search") },
                "catalog" or "search" => [(r.Name, r.Service)],
                _ => [],
            })
            .ToList();
        var random = new Random(worker);
        var sent = 0L;
        while (!stop.IsCancellationRequested)
        {
            // Bounded: together the readers stay under ReadRateCap requests a second.
            var allowed = _clock.Elapsed.TotalSeconds * ReadRateCap / Readers;
            if (sent >= allowed)
            {
                await Task.Delay(5, CancellationToken.None);
                continue;
            }

            sent++;
            var (target, service) = routes[(worker + (int)sent) % routes.Count];
            var product = products[random.Next(products.Count)];
            await ObserveAsync(clients[target], target, service, product, Kind.Load);
        }
    }

    /// <summary>Raises one product's price again and again; after each change polls every replica until it serves it.</summary>
    private async Task WriteAsync(Target product, Dictionary<string, HttpClient> clients, CancellationToken stop)
    {
        var gateways = Replicas.Where(r => r.Service == "gateway").ToList();
        var replicas = Replicas.Where(r => r.Service is "catalog" or "search").ToList();
        var price = product.StartPrice;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            price += 1m;
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/products/{product.Id}") { Content = JsonContent.Create(new { price }) };
            request.Headers.Authorization = product.Seller;
            using var response = await clients[gateways[n % gateways.Count].Name].SendAsync(request, CancellationToken.None);
            Assert.True(response.IsSuccessStatusCode, $"update of product {product.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var returned = _clock.Elapsed;
            var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

            var lags = await Task.WhenAll(replicas.Select(async replica =>
            {
                while (_clock.Elapsed - returned < FreshnessBound)
                {
                    if (await ObserveAsync(clients[replica.Name], replica.Name, replica.Service, product, Kind.Poll) == price)
                    {
                        return (replica.Name, Lag: (TimeSpan?)(_clock.Elapsed - returned));
                    }

                    await Task.Delay(50, CancellationToken.None);
                }

                return (replica.Name, Lag: (TimeSpan?)null);
            }));
            _updates.Add(new Update(product.Id, price, version, returned, _clock.Elapsed, lags.ToDictionary(l => l.Name, l => l.Lag)));
        }
    }

    /// <summary>One read; records it and returns the price it showed (null when it did not show the product).</summary>
    private async Task<decimal?> ObserveAsync(HttpClient client, string target, string service, Target product, Kind kind)
    {
        var start = _clock.Elapsed;
        Answer answer;
        try
        {
            answer = await AnswerAsync(client, service, product);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            answer = new Answer(0, null, false);
        }

        _reads.Add(new Read(kind, target, service, product.Id, answer.Status, answer.Price, answer.Shed, start, _clock.Elapsed));
        return answer.Price;
    }

    private static async Task<decimal?> PriceAsync(HttpClient client, string service, Target product)
        => (await AnswerAsync(client, service, product)).Price;

    private static async Task<Answer> AnswerAsync(HttpClient client, string service, Target product)
    {
        var path = service == "catalog"
            ? $"/api/catalog/products/{product.Id}"
            : $"/api/search?q={Uri.EscapeDataString(product.Name)}&pageSize=10";
        using var response = await client.GetAsync(path);
        if (!response.IsSuccessStatusCode)
        {
            // A service that finds Postgres not answering within a second sheds the request on purpose
            // (503 ProblemDetails with Retry-After), and so does the gateway when a service does not answer.
            var shed = response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                && response.Headers.RetryAfter is not null
                && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            return new Answer((int)response.StatusCode, null, shed);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (service == "catalog")
        {
            return new Answer((int)response.StatusCode, body.GetProperty("price").GetDecimal(), false);
        }

        foreach (var hit in body.GetProperty("hits").EnumerateArray())
        {
            if (hit.GetProperty("id").GetInt64() == product.Id)
            {
                return new Answer((int)response.StatusCode, hit.GetProperty("price").GetDecimal(), false);
            }
        }

        return new Answer((int)response.StatusCode, null, false);
    }

    /// <summary>
    /// A buyer spends the probed route's budget through both gateways at once (half the requests each, so
    /// either gateway alone would have let them all pass); a second buyer then still has a budget of its own.
    /// </summary>
    private async Task ProbeRateLimitsAsync()
    {
        var gateways = Replicas.Where(r => r.Service == "gateway").Select(r => new HttpClient { BaseAddress = r.Address, Timeout = TimeSpan.FromSeconds(60) }).ToList();
        try
        {
            FirstBuyer = await SpendAsync(gateways, "buyer-1@hive.test", ScaleFleetFixture.SizesLimit + 10);
            SecondBuyer = await SpendAsync(gateways, "buyer-2@hive.test", 5);
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                gateway.Dispose();
            }
        }
    }

    private static async Task<IReadOnlyList<Limited>> SpendAsync(List<HttpClient> gateways, string buyer, int requests)
    {
        var token = new AuthenticationHeaderValue("Bearer", await FleetClient.AccessTokenAsync(gateways[0], buyer, FleetFixture.DemoPassword));
        return await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/media/sizes");
            request.Headers.Authorization = token;
            using var response = await gateways[i % gateways.Count].SendAsync(request);
            return new Limited(
                i % gateways.Count,
                (int)response.StatusCode,
                Header(response, "RateLimit"),
                Header(response, "RateLimit-Policy"),
                response.Headers.RetryAfter?.ToString(),
                response.Content.Headers.ContentType?.MediaType);
        }));
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>
    /// A queue of the test's own on the ProductChanged exchange: it gets a copy of every publish, with
    /// MassTransit's envelope saying which process published it.
    /// </summary>
    private async Task<IAsyncDisposable> ListenForProductChangesAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri((await _fleet.App.GetConnectionStringAsync("rabbitmq"))!) };
        var connection = await factory.CreateConnectionAsync("hive-scale-test");
        var channel = await connection.CreateChannelAsync();
        // As the dispatchers declare it (durable fanout), so the declaration matches whichever comes first.
        await channel.ExchangeDeclareAsync(ProductChangedExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, ProductChangedExchange, string.Empty);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            var root = envelope.RootElement;
            var message = root.GetProperty("message");
            var host = root.TryGetProperty("host", out var h) ? $"{Text(h, "machineName")}/{Text(h, "processId")}" : "unknown";
            _published.Enqueue(new Published(
                Text(root, "messageId") ?? delivery.BasicProperties.MessageId ?? string.Empty,
                message.GetProperty("productId").GetInt64(),
                message.GetProperty("version").GetInt64(),
                host));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return new Listening(connection, channel);
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    /// <summary>Counts REFRESH MATERIALIZED VIEW statements running at once, every 20 ms, from Postgres' own view of its sessions.</summary>
    private async Task SampleRefreshesAsync(CancellationToken stop)
    {
        // The server's superuser sees every session's statement, whichever role runs it.
        await using var connection = new NpgsqlConnection(await _fleet.App.GetConnectionStringAsync("postgres"));
        await connection.OpenAsync(stop);
        await using var sample = new NpgsqlCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'REFRESH MATERIALIZED VIEW%'", connection);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                _refreshSamples.Add((int)(await sample.ExecuteScalarAsync(stop))!);
                await Task.Delay(20, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads every metrics replica's console for its refresh lines (the lock's fencing number and the view).</summary>
    private async Task FollowRefreshesAsync(CancellationToken stop)
    {
        var loggers = _fleet.App.Services.GetRequiredService<ResourceLoggerService>();
        await Task.WhenAll(Replicas.Where(r => r.Service == "metrics").Select(async replica =>
        {
            try
            {
                await foreach (var batch in loggers.WatchAsync(replica.Name).WithCancellation(stop))
                {
                    foreach (var line in batch)
                    {
                        if (RefreshedLine().Match(line.Content) is { Success: true } match)
                        {
                            _refreshes.Enqueue(new Refresh(replica.Name, match.Groups["view"].Value, long.Parse(match.Groups["fence"].Value, CultureInfo.InvariantCulture)));
                        }
                        else if (line.Content.Contains("Another replica is refreshing the materialized views", StringComparison.Ordinal))
                        {
                            _busy.Enqueue(replica.Name);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }));
    }

    // MaterializedViewRefresher's LogRefreshed.
    [GeneratedRegex(@"Refreshed (?<view>\w+) in \d+ ms under fence (?<fence>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex RefreshedLine();

    /// <summary>The run's figures, for the test output and deploy/SCALE-OUT.md.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        var reads = Reads;
        var load = reads.Where(r => r.Kind == Kind.Load).ToList();
        var polls = reads.Where(r => r.Kind == Kind.Poll).ToList();
        var updates = Updates;
        text.AppendLine(CultureInfo.InvariantCulture, $"replicas: {string.Join(", ", Replicas.GroupBy(r => r.Service).Select(g => $"{g.Key} {g.Count()}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"load: {Duration.TotalSeconds:0.0} s, {load.Count} reads ({load.Count / Duration.TotalSeconds:0} /s; through gateways {load.Count(r => r.Target.StartsWith("gateway", StringComparison.Ordinal))}, straight to replicas {load.Count(r => !r.Target.StartsWith("gateway", StringComparison.Ordinal))}), {polls.Count} freshness polls, {updates.Count} updates of {Targets.Count} products; all requests {(load.Count + polls.Count + updates.Count) / Duration.TotalSeconds:0} /s");
        text.AppendLine(CultureInfo.InvariantCulture, $"read answers: {string.Join(", ", reads.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))} (shed on purpose: {reads.Count(r => r.Shed)}); read latency p50 {Percentile(load.Select(r => (r.End - r.Start).TotalMilliseconds), 50):0} ms, p99 {Percentile(load.Select(r => (r.End - r.Start).TotalMilliseconds), 99):0} ms");
        text.AppendLine("lag from the update's answer to the replica serving it (ms):");
        foreach (var replica in Replicas.Where(r => r.Service is "catalog" or "search"))
        {
            var lags = updates.Select(u => u.Lags.GetValueOrDefault(replica.Name)).Where(l => l is not null).Select(l => l!.Value.TotalMilliseconds).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"  {replica.Name}: p50 {Percentile(lags, 50):0}, p99 {Percentile(lags, 99):0}, max {(lags.Count > 0 ? lags.Max() : 0):0} over {lags.Count} updates");
        }

        var messages = Messages;
        text.AppendLine(CultureInfo.InvariantCulture, $"outbox: {messages.Count} ProductChanged received for {messages.Select(m => m.MessageId).Distinct().Count()} message ids; publishers: {string.Join(", ", messages.GroupBy(m => m.Publisher).Select(g => $"{g.Key} {g.Count()}"))}");
        var refreshes = Refreshes;
        text.AppendLine(CultureInfo.InvariantCulture, $"view refreshes: {refreshes.Select(r => r.Fence).Distinct().Count()} rounds (fences {refreshes.Min(r => r.Fence)}..{refreshes.Max(r => r.Fence)}), by replica: {string.Join(", ", refreshes.GroupBy(r => r.Replica).Select(g => $"{g.Key} {g.Select(r => r.Fence).Distinct().Count()}"))}; rounds skipped because another held the lock: {string.Join(", ", FoundBusy.GroupBy(r => r).Select(g => $"{g.Key} {g.Count()}"))}; Postgres samples {RefreshSamples.Count}, with a refresh running {RefreshSamples.Count(s => s > 0)}, most at once {RefreshSamples.DefaultIfEmpty().Max()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"rate limit (budget {ScaleFleetFixture.SizesLimit}): buyer-1 sent {FirstBuyer.Count} through 2 gateways: {FirstBuyer.Count(a => a.Status == 200)} × 200 ({string.Join("/", FirstBuyer.Where(a => a.Status == 200).GroupBy(a => a.Gateway).OrderBy(g => g.Key).Select(g => g.Count()))} per gateway), {FirstBuyer.Count(a => a.Status == 429)} × 429; buyer-2: {SecondBuyer.Count(a => a.Status == 200)} of {SecondBuyer.Count} × 200");
        return text.ToString();
    }

    public static double Percentile(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public enum Kind
    {
        Load,
        Poll,
    }

    public sealed record Replica(string Service, string Name, Uri Address);

    public sealed record Target(long Id, string Name, decimal StartPrice, long StartVersion, AuthenticationHeaderValue Seller);

    /// <summary>
    /// One read: where it went, what it showed (null: not the product), whether it was shed on purpose
    /// (503 with Retry-After), when it started and ended (since the load began).
    /// </summary>
    public sealed record Read(Kind Kind, string Target, string Service, long ProductId, int Status, decimal? Price, bool Shed, TimeSpan Start, TimeSpan End);

    private sealed record Answer(int Status, decimal? Price, bool Shed);

    /// <summary>One price change: when its answer came back, when every replica served it, and each replica's lag (null: not within the bound).</summary>
    public sealed record Update(long ProductId, decimal Price, long Version, TimeSpan Returned, TimeSpan AllFresh, IReadOnlyDictionary<string, TimeSpan?> Lags);

    public sealed record Published(string MessageId, long ProductId, long Version, string Publisher);

    public sealed record Refresh(string Replica, string View, long Fence);

    public sealed record Limited(int Gateway, int Status, string? RateLimit, string? RateLimitPolicy, string? RetryAfter, string? ContentType);

    private sealed class Listening(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
