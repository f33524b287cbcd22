extern alias migrator;

using Hive.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using migrator::Hive.Migrator;
using Npgsql;

namespace Identity.Api.Tests;

/// <summary>
/// The identity service on a real Kestrel port against a real PostgreSQL migrated by the migrator, with two
/// businesses and the demo accounts (admin, a seller per business, three buyers).
/// </summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public const string DemoPassword = "demo-password-for-tests";
    public const string ToolsSecret = "tools-secret-for-tests";

    private readonly PostgresFixture _postgres = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync("identity");
        DatabaseMigrator.Migrate(ConnectionString, NullLogger.Instance);
        await ExecuteAsync(
            """
            INSERT INTO businesses (id, name, slug, county) VALUES
                (1, 'Wanjiku Fashions', 'wanjiku-fashions', 'Nairobi'),
                (2, 'Otieno Electronics', 'otieno-electronics', 'Kisumu');
            """);

        Factory = CreateReplica();
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseAddress = Factory.ClientOptions.BaseAddress;
    }

    /// <summary>An identity host on this fixture's database: the fixture's own, or a second replica beside it.</summary>
    public WebApplicationFactory<Program> CreateReplica() => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        host.UseEnvironment("Development");
        host.UseSetting("ConnectionStrings:hive", ConnectionString);
        host.UseSetting("Identity:DemoPassword", DemoPassword);
        host.UseSetting("Identity:ToolsClientSecret", ToolsSecret);
    });

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>A client over real HTTP to the service; it keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateBrowser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return await command.ExecuteScalarAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "identity";
}
