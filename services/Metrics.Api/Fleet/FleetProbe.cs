using System.Net.Http.Json;
using System.Text.Json;
using Hive.Caching;
using Hive.Contracts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Metrics.Api.Fleet;

/// <summary>
/// Reads what each replica knows only about itself (request figures, cache statistics, invalidation lag).
/// Every replica that announced itself in the <see cref="FleetRegistry"/> is read at its own address: service
/// discovery gives one address per service, a proxy that hands each connection to some replica, so reading
/// through it sees one replica and misses the others. A service that has not announced itself (identity, which
/// runs no Redis, or a test's stand-in) is read once through discovery. A replica that does not answer in time
/// is reported as such instead of failing the view.
/// </summary>
public sealed partial class FleetProbe(
    IHttpClientFactory httpClientFactory,
    IConfiguration configuration,
    FleetRegistry registry,
    FleetIdentity self,
    TimeProvider clock,
    ILogger<FleetProbe> logger)
{
    public const string HttpClientName = "fleet-probe";

    /// <summary>Services whose endpoints the metrics service may be given (<c>services__{name}__http__0</c>).</summary>
    private static readonly IReadOnlyList<string> Known = HiveServices.All;

    /// <summary>Every replica to read: the announced ones, then each configured service none of whose replicas announced itself.</summary>
    public async Task<IReadOnlyList<FleetTarget>> TargetsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<FleetInstance> announced;
        try
        {
            announced = await registry.LiveAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            // Without the registry each service is still read once, through discovery.
            LogRegistryUnavailable(logger, ex);
            announced = [];
        }

        var targets = announced
            .Where(i => i.Instance != self.Instance)
            .Select(i => new FleetTarget(i.Service, i.Instance, i.Address))
            .ToList();
        foreach (var service in Known)
        {
            if (service != self.Service
                && configuration[$"services:{service}:http:0"] is not null
                && !targets.Any(t => t.Service == service))
            {
                targets.Add(new FleetTarget(service, service, $"http://{service}"));
            }
        }

        return targets;
    }

    /// <summary>Reads <paramref name="path"/> from every replica; keyed by replica name (the service's name when read through discovery).</summary>
    public async Task<IReadOnlyDictionary<string, FleetReading>> ReadAsync(string path, CancellationToken cancellationToken)
        => await ReadAsync(await TargetsAsync(cancellationToken), path, cancellationToken);

    public async Task<IReadOnlyDictionary<string, FleetReading>> ReadAsync(IReadOnlyList<FleetTarget> targets, string path, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var readings = await Task.WhenAll(targets.Select(async target =>
        {
            try
            {
                var body = await client.GetFromJsonAsync<JsonElement>($"{target.Address}{path}", cancellationToken);
                return new FleetReading(target.Service, target.Instance, true, body, null, clock.GetUtcNow());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                return new FleetReading(target.Service, target.Instance, false, null, ex.Message, clock.GetUtcNow());
            }
        }));
        return readings.ToDictionary(r => r.Instance, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fleet registry is unavailable; reading each service once through discovery")]
    private static partial void LogRegistryUnavailable(ILogger logger, Exception exception);
}

/// <summary>One replica to read: its service, its name and its own address.</summary>
public sealed record FleetTarget(string Service, string Instance, string Address);

/// <summary>
/// The services' /admin endpoints need an admin token; the fleet view is itself admin-only, so it reads
/// them with the admin's own bearer token instead of holding a credential of its own.
/// </summary>
internal sealed class ForwardCallerToken(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext?.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One replica's answer (or why there was none) and when it was read.</summary>
public sealed record FleetReading(string Service, string Instance, bool Answered, JsonElement? Body, string? Error, DateTimeOffset ReadAt);

public static class FleetProbeExtensions
{
    public static IHostApplicationBuilder AddFleetProbe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardCallerToken>();
        builder.Services.AddHttpClient(FleetProbe.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(3))
            .AddHttpMessageHandler<ForwardCallerToken>();
        builder.Services.TryAddSingleton<FleetRegistry>();
        builder.Services.TryAddSingleton<FleetIdentity>();
        builder.Services.AddSingleton<FleetProbe>();
        return builder;
    }
}
