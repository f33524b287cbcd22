using Hive.Migrator;
using Hive.Seeding;
using Hive.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hive.Database.Tests;

/// <summary>
/// One PostgreSQL server for the whole collection with one migrated database seeded at <see cref="SeedSize.Small"/>:
/// enough rows that the planner's choices are the ones a real marketplace gets. Tests that need a
/// database of their own create one on the same server.
/// </summary>
public sealed class MarketplaceDatabase : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    public static SeedOptions Options { get; } = new(SeedSize.Small, 42) { Anchor = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc) };

    public string ConnectionString { get; private set; } = "";

    public int ScriptsAppliedOnFirstRun { get; private set; }

    public Task<string> CreateDatabaseAsync(string prefix) => _postgres.CreateDatabaseAsync(prefix);

    public async Task<string> CreateMigratedDatabaseAsync(string prefix)
    {
        var connectionString = await _postgres.CreateDatabaseAsync(prefix);
        DatabaseMigrator.Migrate(connectionString, NullLogger.Instance);
        return connectionString;
    }

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync("marketplace");
        ScriptsAppliedOnFirstRun = DatabaseMigrator.Migrate(ConnectionString, NullLogger.Instance);
        await DatabaseSeeder.SeedAsync(ConnectionString, Options, progress: null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _postgres.DisposeAsync();
    }

    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => ScalarAsync<T>(ConnectionString, sql, parameters);

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}

[CollectionDefinition(Name)]
public sealed class MarketplaceDatabaseCollection : ICollectionFixture<MarketplaceDatabase>
{
    public const string Name = "marketplace database";
}
