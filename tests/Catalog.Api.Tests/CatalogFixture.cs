extern alias migrator;

using migrator::Hive.Migrator;
using Hive.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Catalog.Api.Tests;

/// <summary>
/// The catalog service in-process against a real PostgreSQL (migrated, with a small known data set) and
/// a real Redis. Two businesses, 60 products, so lists span several pages.
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public const long BusinessA = 1;
    public const long BusinessB = 2;

    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();
    private readonly RabbitMqFixture _rabbit = new();

    public LocalServer RabbitMq => _rabbit.Server;

    public Uri RabbitMqUri => _rabbit.Uri;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The stand-in identity provider the catalog validates tokens against (through discovery).</summary>
    public TestTokenIssuer Tokens { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), _redis.InitializeAsync(), _rabbit.InitializeAsync());
        ConnectionString = await _postgres.CreateDatabaseAsync("catalog", "catalog_sixty_products", async template =>
        {
            DatabaseMigrator.Migrate(template, NullLogger.Instance);
            await SeedAsync(template);
        });
        Tokens = await TestTokenIssuer.StartAsync();

        Factory = CreateReplica();
    }

    /// <summary>Another catalog instance on the same Postgres, Redis and RabbitMQ: a second replica. The caller disposes it.</summary>
    public WebApplicationFactory<Program> CreateReplica(string environment = "Development", string? connectionString = null)
        => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment);
            host.UseSetting("ConnectionStrings:hive", connectionString ?? ConnectionString);
            host.UseSetting("ConnectionStrings:redis", _redis.Configuration);
            host.UseSetting("ConnectionStrings:rabbitmq", _rabbit.Uri.ToString());
            host.UseSetting("Catalog:Auth:SigningKey", "hive-development-signing-key-not-for-production-use-0001");
            foreach (var (key, value) in Tokens.Settings)
            {
                host.UseSetting(key, value);
            }
        });

    /// <summary>
    /// A product of its own for a test that changes stock, so tests never share a shelf. Category 1 holds no
    /// seeded product: tests that make many products pass it, so the seeded category-3 products stay among
    /// the newest 50 related ones that <see cref="ConditionalGetTests"/> reads.
    /// </summary>
    public async Task<long> CreateProductAsync(int stock, decimal price = 250m, long businessId = BusinessA, string status = "active", int categoryId = 3)
    {
        var slug = "test-item-" + Guid.NewGuid().ToString("N");
        return await ScalarAsync<long>(
            "INSERT INTO products (business_id, category_id, name, slug, price, stock, status) VALUES ($1, $7, $2, $3, $4, $5, $6) RETURNING id",
            businessId, "Test item " + slug[^6..], slug, price, stock, status, categoryId);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Tokens.DisposeAsync();
        await _redis.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>A client acting for a seller of <paramref name="businessId"/> (see <see cref="TestTokens"/>).</summary>
    public Task<HttpClient> SellerClientAsync(long businessId) => Task.FromResult(TestTokens.SellerClient(this, businessId));

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task SeedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO businesses (id, name, slug, county) VALUES
                (1, 'Wanjiku Fashions', 'wanjiku-fashions', 'Nairobi'),
                (2, 'Otieno Electronics', 'otieno-electronics', 'Kisumu');
            INSERT INTO products (id, business_id, category_id, name, slug, description, price, stock, status, featured, created_at)
            SELECT g,
                   CASE WHEN g % 3 = 0 THEN 2 ELSE 1 END,
                   CASE WHEN g % 3 = 0 THEN 2 ELSE 3 END,
                   CASE WHEN g % 3 = 0 THEN 'Tecno Spark ' || g ELSE 'Kikoi wrap ' || g END,
                   CASE WHEN g % 3 = 0 THEN 'tecno-spark-' || g ELSE 'kikoi-wrap-' || g END,
                   'Item number ' || g,
                   (100 + (g * 37) % 900)::numeric(12,2),
                   10,
                   CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'active' END,
                   g % 7 = 0,
                   timestamptz '2026-01-01' + g * interval '1 hour' - (g % 4) * interval '1 hour'
            FROM generate_series(1, 60) g;
            SELECT setval(pg_get_serial_sequence('products', 'id'), 1000);
            SELECT setval(pg_get_serial_sequence('businesses', 'id'), 100);
            INSERT INTO product_images (product_id, url, position, width, height)
            SELECT id, '/images/p/' || id || '/1.jpg', 0, 800, 800 FROM products;
            INSERT INTO analytics_events (event_type, product_id, business_id, category_id, created_at)
            SELECT CASE WHEN g % 5 = 0 THEN 'purchase' ELSE 'view' END, 1 + g % 9, 1, 3, now() - (g % 50) * interval '1 minute'
            FROM generate_series(1, 200) g;
            REFRESH MATERIALIZED VIEW mv_category_counts;
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogCollection : ICollectionFixture<CatalogFixture>
{
    public const string Name = "catalog";
}
