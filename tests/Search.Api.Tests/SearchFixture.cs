extern alias migrator;

using migrator::Hive.Migrator;
using Hive.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Search.Api.Tests;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ for the whole collection, one migrated database filled with
/// <see cref="MarketplaceData"/>, and Search.Api hosted in memory against both.
/// </summary>
public sealed class SearchFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();
    private readonly RabbitMqFixture _rabbit = new();

    public string ConnectionString { get; private set; } = "";

    /// <summary>The port of this fixture's own Postgres, for tests that freeze it.</summary>
    public int PostgresPort => _postgres.Server.Port;

    /// <summary>The cursor key of the test host (tests that forge cursors sign with another one).</summary>
    public const string CursorSigningKey = "search-tests-cursor-signing-key-0123456789";

    /// <summary>Another database on this fixture's Postgres (for tests that need other data).</summary>
    public Task<string> CreateDatabaseAsync(string prefix) => _postgres.CreateDatabaseAsync(prefix);

    /// <summary>A database of its own holding <see cref="MarketplaceData"/>, as the fixture's own.</summary>
    public Task<string> CreateMarketplaceDatabaseAsync(string prefix) => _postgres.CreateDatabaseAsync(prefix, "search_marketplace", async template =>
    {
        DatabaseMigrator.Migrate(template, NullLogger.Instance);
        await MarketplaceData.InsertAsync(template);
    });

    /// <summary>Another database on this fixture's Postgres, copied from a template <paramref name="prepare"/> builds once.</summary>
    public Task<string> CreateDatabaseAsync(string prefix, string template, Func<string, Task> prepare)
        => _postgres.CreateDatabaseAsync(prefix, template, prepare);

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The stand-in identity provider the service validates tokens against (admin endpoints, signed-in shoppers).</summary>
    public TestTokenIssuer Tokens { get; private set; } = null!;

    /// <summary>The fixture's broker, for tests that read what the service publishes.</summary>
    public Uri RabbitMqUri => _rabbit.Uri;

    public IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), _redis.InitializeAsync(), _rabbit.InitializeAsync());
        ConnectionString = await CreateMarketplaceDatabaseAsync("search");

        // As in the fleet, every service's queue exists before anything is published.
        await Hive.Messaging.RabbitMqTopology.DeclareProductChangedQueuesAsync(_rabbit.Uri, CancellationToken.None);

        Tokens = await TestTokenIssuer.StartAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:hive", ConnectionString);
            builder.UseSetting("ConnectionStrings:redis", _redis.Configuration);
            builder.UseSetting("ConnectionStrings:rabbitmq", _rabbit.Uri.ToString());
            // A secret: the fleet gets it from an AppHost parameter, never from appsettings.
            builder.UseSetting("Search:CursorSigningKey", CursorSigningKey);
            foreach (var (key, value) in Tokens.Settings)
            {
                builder.UseSetting(key, value);
            }
        });
        Client = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await _postgres.DisposeAsync();
        await _redis.DisposeAsync();
        await _rabbit.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SearchCollection : ICollectionFixture<SearchFixture>
{
    public const string Name = "search";
}
