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

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class MetricsTests(MetricsFixture metrics) : IClassFixture<MetricsFixture>
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
        var report = metrics.Factory.Services.GetRequiredService<MaterializedViewStatus>().Report();
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
