using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>
/// The real fleet (AppHost with infrastructure as local processes, demo data) started once for the mobile
/// tests; each test puts its own <see cref="Network.BadNetworkProxy"/> between the SDK and the gateway.
/// </summary>
public sealed class MobileFleetFixture : IAsyncLifetime
{
    /// <summary>The password of every demo account in this throw-away fleet (never a real password).</summary>
    public const string DemoPassword = "mobile-test-demo-password";

    private static readonly string[] Resources = ["redis", "redis-coordination", "postgres", "rabbitmq", "identity", "catalog", "search", "media", "metrics", "gateway"];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The fleet has not started.");

    /// <summary>The gateway's own address (no bad network).</summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>A direct client of the gateway, for what a seller or the test itself does.</summary>
    public HttpClient Direct { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Hive_AppHost>(
            ["--Hive:Infrastructure=Executables", "--Hive:Seed=demo", $"--Hive:DemoPassword={DemoPassword}",
             .. new[] { "default", "search", "autocomplete", "writes", "media", "health" }.Select(p => $"--Gateway:RateLimits:Policies:{p}:Limit=1000000")]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceAsync("migrator", KnownResourceStates.Finished, timeout.Token);
        foreach (var resource in Resources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        Gateway = _app.GetEndpoint("gateway", "http");
        Direct = _app.CreateHttpClient("gateway");
        Direct.Timeout = TimeSpan.FromSeconds(30);
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connectionString = await App.GetConnectionStringAsync("hive")
                               ?? throw new InvalidOperationException("The fleet has no 'hive' connection string.");
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        Direct?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MobileFleetCollection : ICollectionFixture<MobileFleetFixture>
{
    public const string Name = "mobile fleet";
}
