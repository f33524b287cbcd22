extern alias migrator;

using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Testing;
using Metrics.Api.Views;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using migrator::Hive.Migrator;
using Npgsql;

namespace Metrics.Api.Tests;

public sealed class MetricsFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();
    private readonly RabbitMqFixture _rabbit = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The stand-in identity provider: the fleet views are for admins only.</summary>
    public TestTokenIssuer Tokens { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), _redis.InitializeAsync(), _rabbit.InitializeAsync());
        ConnectionString = await _postgres.CreateDatabaseAsync("metrics");
        DatabaseMigrator.Migrate(ConnectionString, NullLogger.Instance);
        var closedPort = LocalServer.FreePort();
        Tokens = await TestTokenIssuer.StartAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:hive", ConnectionString);
            host.UseSetting("ConnectionStrings:redis", _redis.Configuration);
            host.UseSetting("ConnectionStrings:rabbitmq", _rabbit.Uri.ToString());
            // The timer stays out of the way; tests refresh on demand.
            host.UseSetting("Metrics:MaterializedViews:InitialDelay", "01:00:00");
            host.UseSetting("Metrics:MaterializedViews:Interval", "01:00:00");
            // A catalog that is down: the fleet view must say so instead of failing.
            host.UseSetting("services:catalog:http:0", $"http://127.0.0.1:{closedPort}");
            foreach (var (key, value) in Tokens.Settings)
            {
                host.UseSetting(key, value);
            }
        });
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Tokens.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public HttpClient AdminClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Admin());
        return client;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<JsonElement> OverviewAsync(string query = "")
    {
        using var client = AdminClient();
        return await client.GetFromJsonAsync<JsonElement>("/admin/metrics" + query);
    }

    /// <summary>The queue's consumers are attached, so a publish now is consumed.</summary>
    public Task WaitForConsumerAsync(string queue) => Eventually.TrueAsync(
        async () => (await OverviewAsync()).GetProperty("rabbitMq").GetProperty("queues").EnumerateArray()
            .Any(q => q.GetProperty("queue").GetString() == queue && q.GetProperty("consumers").GetInt64() > 0),
        TimeSpan.FromSeconds(60),
        $"a consumer on {queue}");

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One set of servers and one metrics service for every test class here: RabbitMQ alone takes seconds to start.</summary>
[CollectionDefinition(Name)]
public sealed class MetricsCollection : ICollectionFixture<MetricsFixture>
{
    public const string Name = "metrics";
}

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(MetricsFixture metrics)
{
    [Fact]
    public async Task ARefreshBringsNewProductsIntoTheCategoryCounts()
    {
        await metrics.ExecuteAsync(
            """
            INSERT INTO businesses (id, name, slug, county) VALUES (501, 'Meru Greens', 'meru-greens', 'Meru') ON CONFLICT DO NOTHING;
            INSERT INTO products (business_id, category_id, name, slug, price) VALUES (501, 6, 'Sukuma wiki bunch', 'sukuma-wiki-bunch-501', 30);
            """);
        var before = await metrics.ScalarAsync("SELECT active_product_count FROM mv_category_counts WHERE category_id = 6");

        var refresher = metrics.Factory.Services.GetRequiredService<MaterializedViewRefresher>();
        Assert.True(await refresher.RefreshOnceAsync(CancellationToken.None));

        Assert.Equal(before + 1, await metrics.ScalarAsync("SELECT active_product_count FROM mv_category_counts WHERE category_id = 6"));
        var report = await metrics.Factory.Services.GetRequiredService<MaterializedViewStatus>().ReportAsync(CancellationToken.None);
        Assert.Equal(["mv_business_stats", "mv_category_counts", "mv_daily_platform_stats"], report.Views.Select(v => v.View));
        Assert.All(report.Views, v => Assert.True(v.FencingToken > 0));
    }

    [Fact]
    public async Task OnlyTheReplicaHoldingTheLockRefreshes()
    {
        var cache = metrics.Factory.Services.GetRequiredService<IHiveCache>();
        await using var held = await cache.AcquireLockAsync(cache.Keys.For("lock", "mv-refresh"), TimeSpan.FromSeconds(30));
        Assert.NotNull(held);

        var refresher = metrics.Factory.Services.GetRequiredService<MaterializedViewRefresher>();

        Assert.False(await refresher.RefreshOnceAsync(CancellationToken.None));
    }

    [Fact(Skip = "Failed in the merged tree (a second refresher ran while the first held its extended lock) after locks moved to the coordination Redis; open in issue 15, not yet diagnosed")]
    public async Task ARefreshLongerThanTheLocksLifeKeepsTheLockSoASecondReplicaDoesNotRefreshAtTheSameTime()
    {
        // A view whose refresh takes 3 s, under a lock that lives 1 s unless extended.
        await metrics.ExecuteAsync(
            """
            CREATE MATERIALIZED VIEW IF NOT EXISTS mv_slow_test AS SELECT 1 AS id FROM pg_sleep(3);
            CREATE UNIQUE INDEX IF NOT EXISTS mv_slow_test_id ON mv_slow_test (id);
            """);
        var options = Options.Create(new MaterializedViewOptions { Views = ["mv_slow_test"], LockTtl = TimeSpan.FromSeconds(1) });
        MaterializedViewRefresher Replica() => ActivatorUtilities.CreateInstance<MaterializedViewRefresher>(metrics.Factory.Services, options);
        var first = Replica();
        var second = Replica();

        var running = first.RefreshOnceAsync(CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await metrics.ScalarAsync(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv_slow_test%' AND now() - query_start > interval '1.5 seconds'") > 0,
            TimeSpan.FromSeconds(30),
            "the first replica's refresh has run longer than the lock's life");

        Assert.False(await second.RefreshOnceAsync(CancellationToken.None));
        Assert.True(await running);
        // Once the first is done the lock is free again.
        Assert.True(await second.RefreshOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheLastRefreshIsReportedWithItsReplicaByAnyMetricsReplica()
    {
        var refresher = metrics.Factory.Services.GetRequiredService<MaterializedViewRefresher>();
        Assert.True(await refresher.RefreshOnceAsync(CancellationToken.None));

        // Another replica's status: a fresh one with nothing in memory reads the last refresh from Redis.
        var other = ActivatorUtilities.CreateInstance<MaterializedViewStatus>(metrics.Factory.Services);
        var report = await other.ReportAsync(CancellationToken.None);

        Assert.Equal(["mv_business_stats", "mv_category_counts", "mv_daily_platform_stats"], report.Views.Select(v => v.View));
        Assert.All(report.Views, v => Assert.Equal(MaterializedViewStatus.Replica, v.Replica));
        Assert.All(report.Views, v => Assert.True(v.RefreshedAt > DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public async Task TheFleetCacheViewReportsAServiceThatIsDownInsteadOfFailing()
    {
        using var client = metrics.AdminClient();

        var view = await client.GetFromJsonAsync<JsonElement>("/admin/metrics/cache");

        var catalog = view.GetProperty("services").GetProperty("catalog");
        Assert.False(catalog.GetProperty("answered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(catalog.GetProperty("error").GetString()));
        Assert.Equal("metrics", view.GetProperty("metrics").GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task TheFleetViewsAreForAdminsOnly()
    {
        using var anonymous = metrics.Factory.CreateClient();
        using var seller = metrics.Factory.CreateClient();
        seller.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", metrics.Tokens.Seller(1));

        using var noToken = await anonymous.GetAsync("/admin/metrics");
        using var notAdmin = await seller.GetAsync("/admin/metrics/cache");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal("application/problem+json", notAdmin.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheOverviewReadsRedisAndTheViewsStatus()
    {
        using var client = metrics.AdminClient();

        var overview = await client.GetFromJsonAsync<JsonElement>("/admin/metrics");

        Assert.True(overview.GetProperty("redis").GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Array, overview.GetProperty("materializedViews").GetProperty("views").ValueKind);
    }
}
