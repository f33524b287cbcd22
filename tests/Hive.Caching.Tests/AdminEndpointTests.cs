using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// <c>/admin/cache</c>, which the metrics service reads from every replica: this replica's figures, for admins
/// only (the fleet's own token validation, against a stand-in issuer), and kept out of the public API description.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdminEndpointTests(RedisFixture redis)
{
    [Fact]
    public async Task AdminsReadThisReplicasCacheFiguresOthersAreTurnedAwayAndTheEndpointIsNotInTheApiDescription()
    {
        await using var tokens = await TestTokenIssuer.StartAsync();
        var ns = CacheInstance.NewNamespace();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        foreach (var (key, value) in tokens.Settings)
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
        builder.Services.AddHiveCaching(ns);
        builder.Services.AddProblemDetails();
        builder.AddHiveAuthentication();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCacheStatistics();
        await app.StartAsync();

        var cache = app.Services.GetRequiredService<IHiveCache>();
        await cache.SetAsync(cache.Keys.For("product", 1), "kikoi");
        await cache.GetAsync<string>(cache.Keys.For("product", 1));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        await ServiceSurface.AssertAdminsOnlyAsync(http, tokens, CacheStatisticsEndpoint.Path);
        using var admin = new HttpRequestMessage(HttpMethod.Get, CacheStatisticsEndpoint.Path);
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Admin());
        using var answer = await http.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var figures = await answer.Content.ReadFromJsonAsync<CacheStatisticsSnapshot>(System.Text.Json.JsonSerializerOptions.Web);
        Assert.Equal((ns, 1L, 1L), (figures!.Namespace, figures.Hits, figures.L1Hits));

        var endpoint = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "GetCacheStatistics");
        Assert.Equal(CacheStatisticsEndpoint.Path, ((RouteEndpoint)endpoint).RoutePattern.RawText);
        Assert.True(endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription);
        await app.StopAsync();
        Assert.Throws<ArgumentNullException>(() => ((IEndpointRouteBuilder)null!).MapCacheStatistics());
    }
}
