using Hive.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hive.Gateway.Tests;

/// <summary>
/// The real gateway on Kestrel (not the in-memory test server: body, header and request-line limits and
/// client addresses only exist on a real connection), wired to a real Redis and to the given settings.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private GatewayHost(WebApplicationFactory<Program> factory, int port)
    {
        _factory = factory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public IServiceProvider Services => _factory.Services;

    public static GatewayHost Start(string redisConfiguration, IReadOnlyDictionary<string, string?> settings)
    {
        var port = LocalServer.FreePort();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseUrls($"http://127.0.0.1:{port}");
            host.UseSetting("ConnectionStrings:redis", redisConfiguration);
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        return new GatewayHost(factory, port);
    }

    /// <summary>A client of its own (own connections), as a separate user's device would be.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>Routes every cluster of the gateway to <paramref name="backend"/>.</summary>
    public static Dictionary<string, string?> RoutedTo(Uri backend) => new()
    {
        ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = backend.ToString(),
        ["ReverseProxy:Clusters:search:Destinations:d1:Address"] = backend.ToString(),
        ["ReverseProxy:Clusters:media:Destinations:d1:Address"] = backend.ToString(),
        ["ReverseProxy:Clusters:metrics:Destinations:d1:Address"] = backend.ToString(),
        ["ReverseProxy:Clusters:identity:Destinations:d1:Address"] = backend.ToString(),
    };

    /// <summary>
    /// Settings that give every request the policy <paramref name="policy"/> with <paramref name="limit"/>
    /// per minute. A fresh policy name is a fresh budget in a shared Redis.
    /// </summary>
    public static Dictionary<string, string?> WithLimit(Dictionary<string, string?> settings, string policy, int limit)
    {
        settings["Gateway:RateLimits:DefaultPolicy"] = policy;
        settings[$"Gateway:RateLimits:Policies:{policy}:Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Gateway:RateLimits:Policies:{policy}:Window"] = "00:01:00";
        // Rules from appsettings.json would send some paths elsewhere; the tests want one budget.
        for (var i = 0; i < 10; i++)
        {
            settings[$"Gateway:RateLimits:Rules:{i}:Policy"] = policy;
        }

        return settings;
    }

    /// <summary>Settings that make the gateway validate tokens from <paramref name="tokens"/>.</summary>
    public static Dictionary<string, string?> TrustingTokensFrom(Dictionary<string, string?> settings, TestTokenIssuer tokens)
    {
        foreach (var (key, value) in tokens.Settings)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string NewPolicyName() => "t" + Guid.NewGuid().ToString("N")[..12];
}
