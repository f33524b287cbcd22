using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// A request that cannot be served without Redis (a counter here; leaderboards and locks alike) answers a
/// 503 ProblemDetails with Retry-After once Redis goes away, never a 500, through the pipeline every service has.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly LocalServer _redis = Servers.Redis("coordination");
    private ConnectionMultiplexer? _connection;
    private TestService? _service;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(Servers.RedisConfiguration(_redis));
        _service = await TestService.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<IConnectionMultiplexer>(_connection);
                builder.AddHiveCaching("outage", options => options.CircuitBreakerDuration = TimeSpan.FromSeconds(3));
            },
            app => app.MapGet("/visits", async (IRedisPrimitives cache, CancellationToken cancellationToken)
                => TypedResults.Ok(new { visits = await cache.IncrementAsync(cache.Keys.For("visits", 1), cancellationToken: cancellationToken) })));
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        _connection?.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task ARequestThatNeedsRedisIsA503ProblemWithRetryAfterWhileRedisIsDown()
    {
        var client = _service!.Client;
        using (var before = await client.GetAsync("/visits"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _redis.StopAsync();

        var refused = await Eventually.SucceedsAsync(
            () => client.GetAsync("/visits"),
            response => response.StatusCode != HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the counter endpoint should stop answering 200 once Redis is gone");
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("The cache is not available.", body.GetProperty("title").GetString());
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        refused.Dispose();
    }
}
