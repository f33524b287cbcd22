using System.Collections.Concurrent;
using Hive.Caching;
using Microsoft.Extensions.Options;

namespace Metrics.Api.Views;

/// <summary>
/// When each view was last refreshed, how long it took and by which replica. Kept in Redis as well as in
/// memory, so whichever metrics replica answers <c>/admin/metrics</c> reports the fleet's last refresh.
/// </summary>
public sealed class MaterializedViewStatus(TimeProvider clock, IHiveCache cache, IOptions<MaterializedViewOptions> options)
{
    private const string Entity = "mv-refresh";
    private readonly ConcurrentDictionary<string, ViewRefresh> _views = new(StringComparer.Ordinal);
    private string? _lastError;

    /// <summary>This process in the fleet: host name and process id.</summary>
    public static string Replica { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task RefreshedAsync(string view, TimeSpan took, long fencingToken, CancellationToken cancellationToken)
    {
        var refresh = new ViewRefresh(view, clock.GetUtcNow(), Math.Round(took.TotalMilliseconds, 1), fencingToken, Replica);
        _views[view] = refresh;
        await cache.SetAsync(cache.Keys.For(Entity, view), refresh, CacheDuration.Week, cancellationToken: cancellationToken);
    }

    public void Failed(string error) => _lastError = error;

    /// <summary>The last refresh of each view by any replica (the newer of Redis and this replica's memory).</summary>
    public async Task<MaterializedViewReport> ReportAsync(CancellationToken cancellationToken)
    {
        var views = new List<ViewRefresh>();
        foreach (var view in options.Value.Views.Order(StringComparer.Ordinal))
        {
            var shared = await cache.GetAsync<ViewRefresh>(cache.Keys.For(Entity, view), cancellationToken);
            _views.TryGetValue(view, out var own);
            var latest = (shared?.FencingToken ?? -1) >= (own?.FencingToken ?? -1) ? shared : own;
            if (latest is not null)
            {
                views.Add(latest);
            }
        }

        return new MaterializedViewReport(views, _lastError);
    }

    public MaterializedViewReport Report() => new([.. _views.Values.OrderBy(v => v.View, StringComparer.Ordinal)], _lastError);
}

public sealed record ViewRefresh(string View, DateTimeOffset RefreshedAt, double DurationMs, long FencingToken, string Replica);

public sealed record MaterializedViewReport(IReadOnlyList<ViewRefresh> Views, string? LastError);
