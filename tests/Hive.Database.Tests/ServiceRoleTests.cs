using Hive.Migrator;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hive.Database.Tests;

/// <summary>
/// Each service logs in with its own role (0040_service_roles.sql, LOGIN and password set by the migrator)
/// and can do what it needs and nothing else; the schema belongs to the migrator alone.
/// </summary>
[Collection(MarketplaceDatabaseCollection.Name)]
public sealed class ServiceRoleTests(MarketplaceDatabase database) : IAsyncLifetime
{
    private const string InsufficientPrivilege = "42501";
    private static readonly string Password = "role-test-" + Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => DatabaseMigrator.SetServiceLoginsAsync(
        database.ConnectionString,
        DatabaseMigrator.ServiceRoles.ToDictionary(service => service, _ => Password),
        NullLogger.Instance);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("catalog", "UPDATE products SET stock = stock WHERE id = 1")]
    [InlineData("catalog", "SELECT count(*) FROM mv_category_counts")]
    [InlineData("search", "SELECT count(*) FROM products p JOIN businesses b ON b.id = p.business_id JOIN categories c ON c.id = p.category_id")]
    [InlineData("search", "SELECT count(*) FROM product_images WHERE product_id = ANY(ARRAY[1, 2]::bigint[])")]
    [InlineData("search", "SELECT count(*) FROM mv_search_autocomplete WHERE prefix = 'siz'")]
    [InlineData("metrics", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv_search_autocomplete")]
    [InlineData("media", "SELECT count(*) FROM media_images")]
    [InlineData("media", "UPDATE media_outbox SET attempts = attempts WHERE id = 1")]
    [InlineData("metrics", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv_category_counts")]
    [InlineData("metrics", "SELECT count(*) FROM pg_stat_statements")]
    [InlineData("identity", "SELECT count(*) FROM identity.\"AspNetUsers\"")]
    [InlineData("identity", "INSERT INTO identity.\"DataProtectionKeys\" (\"FriendlyName\", \"Xml\") VALUES ('key-test', '<key/>')")]
    public async Task AServiceCanDoWhatItNeeds(string service, string sql)
    {
        await ExecuteAsAsync(service, sql);
    }

    [Theory]
    [InlineData("search", "UPDATE products SET stock = stock WHERE id = 1")]
    [InlineData("search", "SELECT count(*) FROM orders")]
    [InlineData("catalog", "DELETE FROM media_images")]
    [InlineData("catalog", "SELECT count(*) FROM identity.\"AspNetUsers\"")]
    [InlineData("catalog", "SELECT count(*) FROM identity.\"DataProtectionKeys\"")]
    [InlineData("catalog", "CREATE TABLE sneaky (id int)")]
    [InlineData("catalog", "REFRESH MATERIALIZED VIEW mv_category_counts")]
    [InlineData("media", "UPDATE products SET stock = 0")]
    [InlineData("metrics", "DELETE FROM analytics_events")]
    [InlineData("metrics", "UPDATE products SET stock = 0")]
    [InlineData("identity", "UPDATE businesses SET name = name")]
    [InlineData("identity", "DROP TABLE identity.\"AspNetUsers\"")]
    public async Task AServiceCannotTouchWhatIsNotItsOwn(string service, string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(service, sql));

        Assert.True(refused.SqlState == InsufficientPrivilege, $"{service}: {sql} failed with {refused.SqlState} {refused.MessageText}, not for want of privilege");
    }

    [Fact]
    public async Task NoServiceRoleOwnsAnything()
    {
        var owned = await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname IN ('public', 'identity') AND pg_get_userbyid(c.relowner) IN ('hive_catalog', 'hive_search', 'hive_media', 'hive_metrics', 'hive_identity')");

        Assert.Equal(0, owned);
    }

    [Fact]
    public async Task AnUnknownServiceOrAShortPasswordIsRefusedNamingTheSetting()
    {
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseMigrator.SetServiceLoginsAsync(
            database.ConnectionString, new Dictionary<string, string> { ["billing"] = Password }, NullLogger.Instance));
        var shortOne = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseMigrator.SetServiceLoginsAsync(
            database.ConnectionString, new Dictionary<string, string> { ["search"] = "short" }, NullLogger.Instance));

        Assert.Contains("Hive:DatabaseRoles:billing", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Hive:DatabaseRoles:search", shortOne.Message, StringComparison.Ordinal);
    }

    private async Task ExecuteAsAsync(string service, string sql)
    {
        var login = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "hive_" + service, Password = Password, Pooling = false };
        await using var connection = new NpgsqlConnection(login.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
