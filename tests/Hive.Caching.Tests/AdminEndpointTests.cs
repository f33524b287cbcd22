using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Hive.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// <c>/admin/cache</c>, which the metrics service reads from every replica: this replica's figures, for admins
/// only, and kept out of the public API description.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdminEndpointTests(RedisFixture redis)
{
    private const string RoleScheme = "role-header";

    /// <summary>Signs a request in with the role its <c>X-Role</c> header names; no header, no identity.</summary>
    private sealed class RoleHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Role"] is not [{ } role])
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], RoleScheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), RoleScheme)));
        }
    }

    [Fact]
    public async Task AdminsReadThisReplicasCacheFiguresOthersAreTurnedAwayAndTheEndpointIsNotInTheApiDescription()
    {
        var ns = CacheInstance.NewNamespace();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
        builder.Services.AddHiveCaching(ns);
        builder.Services.AddAuthentication(RoleScheme).AddScheme<AuthenticationSchemeOptions, RoleHeaderHandler>(RoleScheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(CacheStatisticsEndpoint.AdminPolicy, p => p.RequireRole("admin"));
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCacheStatistics();
        await app.StartAsync();

        var cache = app.Services.GetRequiredService<IHiveCache>();
        await cache.SetAsync(cache.Keys.For("product", 1), "kikoi");
        await cache.GetAsync<string>(cache.Keys.For("product", 1));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(CacheStatisticsEndpoint.Path)).StatusCode);
        using var buyer = new HttpRequestMessage(HttpMethod.Get, CacheStatisticsEndpoint.Path) { Headers = { { "X-Role", "buyer" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(buyer)).StatusCode);
        using var admin = new HttpRequestMessage(HttpMethod.Get, CacheStatisticsEndpoint.Path) { Headers = { { "X-Role", "admin" } } };
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
