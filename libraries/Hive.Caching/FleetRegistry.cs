using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>One running replica of a service and the address it answers on itself (not through a proxy).</summary>
public sealed record FleetInstance(string Service, string Instance, string Address, DateTimeOffset StartedAt, DateTimeOffset SeenAt);

/// <summary>
/// Which replicas of which services run now, kept in the coordination Redis. Service discovery hands out
/// one address per service (with replicas, a proxy in front of them), so a reader that must see every
/// replica, such as the fleet metrics view, cannot find them through it; each replica therefore says
/// where it is, every <see cref="Heartbeat"/>, and counts as gone once it has been silent for <see cref="Silence"/>.
/// </summary>
public sealed class FleetRegistry(CoordinationRedis coordination, TimeProvider clock)
{
    public const string Key = "hive:fleet:instances";

    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(35);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AnnounceAsync(FleetInstance instance, CancellationToken cancellationToken)
    {
        await coordination.Connection.GetDatabase()
            .HashSetAsync(Key, instance.Instance, JsonSerializer.Serialize(instance with { SeenAt = clock.GetUtcNow() }, Json))
            .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
    }

    public async Task WithdrawAsync(string instance, CancellationToken cancellationToken)
    {
        await coordination.Connection.GetDatabase().HashDeleteAsync(Key, instance)
            .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replicas heard from within <see cref="Silence"/>; the long-silent ones are removed.</summary>
    public async Task<IReadOnlyList<FleetInstance>> LiveAsync(CancellationToken cancellationToken)
    {
        var database = coordination.Connection.GetDatabase();
        var entries = await database.HashGetAllAsync(Key).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var live = new List<FleetInstance>();
        foreach (var entry in entries)
        {
            var instance = Parse(entry.Value);
            if (instance is not null && now - instance.SeenAt <= Silence)
            {
                live.Add(instance);
            }
            else if (instance is null || now - instance.SeenAt > Silence * 10)
            {
                // A replica that crashed never withdraws; forget it after a while.
                await database.HashDeleteAsync(Key, entry.Name).ConfigureAwait(false);
            }
        }

        return [.. live.OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Instance, StringComparer.Ordinal)];
    }

    private static FleetInstance? Parse(RedisValue value)
    {
        try
        {
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<FleetInstance>((string)value!, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>This process in the fleet: its service name and its replica's name (Aspire's, as the dashboard shows it).</summary>
public sealed class FleetIdentity
{
    public FleetIdentity(IConfiguration configuration, IHostEnvironment environment)
    {
        Service = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;
        // Aspire gives a replica's suffix (catalog-djtsaeuk is "djtsaeuk"); the dashboard shows the whole name.
        var instance = InstanceFrom(configuration["OTEL_RESOURCE_ATTRIBUTES"])
            ?? $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
        Instance = instance.StartsWith(Service + "-", StringComparison.Ordinal) ? instance : $"{Service}-{instance}";
    }

    public string Service { get; }

    public string Instance { get; }

    private static string? InstanceFrom(string? attributes)
    {
        foreach (var pair in (attributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == "service.instance.id" && parts[1].Length > 0)
            {
                return parts[1];
            }
        }

        return null;
    }
}

/// <summary>Announces this replica in the <see cref="FleetRegistry"/> once it listens, and withdraws it on shutdown.</summary>
internal sealed partial class FleetAnnouncer(
    FleetRegistry registry,
    FleetIdentity identity,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<FleetAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The addresses are known only once the server listens.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // In-memory test servers have no address another process could reach: nothing to announce.
        if (OwnAddress() is not { } address)
        {
            return;
        }

        var instance = new FleetInstance(identity.Service, identity.Instance, address, clock.GetUtcNow(), clock.GetUtcNow());
        using var timer = new PeriodicTimer(FleetRegistry.Heartbeat, clock);
        try
        {
            do
            {
                try
                {
                    await registry.AnnounceAsync(instance, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Redis away or a connection torn down: announce again at the next heartbeat, never stop the host.
                    LogAnnounceFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await registry.WithdrawAsync(instance.Instance, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAnnounceFailed(logger, ex);
        }
    }

    private string? OwnAddress()
    {
        var addresses = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses?.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://wildcard", StringComparison.Ordinal).Replace("://*", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        // Bound to every interface: other hosts reach it by this machine's name.
        var host = uri.Host is "wildcard" or "0.0.0.0" or "[::]" or "::" ? Environment.MachineName : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce this replica in the fleet registry")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);
}
