extern alias migrator;

using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Hive.Testing;
using Media.Api.Delivery;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using migrator::Hive.Migrator;
using Npgsql;

namespace Media.Api.Tests;

/// <summary>
/// The media service in-process against a real PostgreSQL (migrated; two businesses, a few products),
/// Redis and RabbitMQ, with its data folder in a throw-away directory and the face cascade taken out of
/// Debian's opencv-data.
/// </summary>
public sealed class MediaFixture : IAsyncLifetime
{
    public const long BusinessA = 1;
    public const long BusinessB = 2;

    /// <summary>Products 1–5 belong to business A, 6 to business B.</summary>
    public const long ProductOfB = 6;

    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();
    private readonly RabbitMqFixture _rabbit = new();

    public string DataRoot { get; } = Path.Combine(Path.GetTempPath(), "hive-media-tests-" + Guid.NewGuid().ToString("N"));

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The token provider media trusts through discovery, as it trusts the identity service.</summary>
    public TestTokenIssuer Tokens { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public string RedisConfiguration => _redis.Configuration;

    /// <summary>The broker, for tests that stop and start it (they use their own fixture instance).</summary>
    public LocalServer RabbitMq => _rabbit.Server;

    public Uri RabbitMqUri => _rabbit.Uri;

    public RenderingService Renderings => Factory.Services.GetRequiredService<RenderingService>();

    public UrlSigner Signer => Factory.Services.GetRequiredService<UrlSigner>();

    public async Task InitializeAsync()
    {
        var cascade = DebianSamples.FaceCascadeAsync();
        await Task.WhenAll(_postgres.InitializeAsync(), _redis.InitializeAsync(), _rabbit.InitializeAsync());
        // Migrated and seeded once per server, then copied: a mutation run starts this fixture hundreds of times.
        ConnectionString = await _postgres.CreateDatabaseAsync("media", "media_two_businesses", async template =>
        {
            DatabaseMigrator.Migrate(template, NullLogger.Instance);
            await SeedAsync(template);
        });
        var cascadePath = await cascade;
        Tokens = await TestTokenIssuer.StartAsync();

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            host.UseSetting("ConnectionStrings:hive", ConnectionString);
            host.UseSetting("ConnectionStrings:redis", _redis.Configuration);
            host.UseSetting("ConnectionStrings:rabbitmq", _rabbit.Uri.ToString());
            foreach (var (key, value) in Tokens.Settings)
            {
                host.UseSetting(key, value);
            }

            host.UseSetting("Media:DataRoot", DataRoot);
            host.UseSetting("Media:UrlSigningKey", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            host.UseSetting("Media:FaceCascadePath", cascadePath);
            host.UseSetting("Media:VariantBytesWait", "00:05:00");
            host.UseSetting("Media:MaxUploadBytes", (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Tokens.DisposeAsync();
        await _redis.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    /// <summary>A rendering URL signed with the service's key, as an operator (or media itself) would make it.</summary>
    public string SignedUrl(long imageId, int? version, int? width, int? height, Imaging.Fit fit = Imaging.Fit.Cover, Imaging.Gravity gravity = Imaging.Gravity.Centre, Imaging.ImageFormat? format = null, int? quality = null)
    {
        var request = new RenderRequest(imageId, version, width, height, quality, format, fit, gravity);
        return $"/api/media/images/{imageId}?{request.Query()}&sig={Signer.Sign(request.Canonical)}";
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient Seller(long businessId)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(businessId));
        return client;
    }

    /// <summary>A seller token of <paramref name="businessId"/> as the identity service issues them.</summary>
    public string Token(long businessId) => Tokens.Seller(businessId);

    /// <summary>The store key of an image's original, as its row names it.</summary>
    public async Task<string> StorageKeyAsync(long imageId)
        => (await ScalarAsync<string>("SELECT storage_key FROM media_images WHERE id = $1", imageId))!;

    /// <summary>Where the service's local store keeps the file of <paramref name="key"/>.</summary>
    public string StorePath(string key) => Path.Combine(DataRoot, "store", key);

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
            INSERT INTO products (id, business_id, category_id, name, slug, price, stock)
            SELECT g, CASE WHEN g = 6 THEN 2 ELSE 1 END, 1, 'Kikoi wrap ' || g, 'kikoi-wrap-' || g, 500, 10
            FROM generate_series(1, 6) g;
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MediaCollection : ICollectionFixture<MediaFixture>
{
    public const string Name = "media";
}

/// <summary>A media service of its own for tests that stop RabbitMQ, so they cannot disturb the others.</summary>
[CollectionDefinition(Name)]
public sealed class MediaBrokerOutageCollection : ICollectionFixture<MediaFixture>
{
    public const string Name = "media-broker-outage";
}
