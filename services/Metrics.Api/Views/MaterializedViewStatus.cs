using System.Collections.Concurrent;

namespace Metrics.Api.Views;

/// <summary>When each view was last refreshed by this replica, how long it took, and the last failure.</summary>
public sealed class MaterializedViewStatus(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ViewRefresh> _views = new(StringComparer.Ordinal);
    private string? _lastError;

    public void Refreshed(string view, TimeSpan took, long fencingToken)
        => _views[view] = new ViewRefresh(view, clock.GetUtcNow(), Math.Round(took.TotalMilliseconds, 1), fencingToken);

    public void Failed(string error) => _lastError = error;

    public MaterializedViewReport Report() => new([.. _views.Values.OrderBy(v => v.View, StringComparer.Ordinal)], _lastError);
}

public sealed record ViewRefresh(string View, DateTimeOffset RefreshedAt, double DurationMs, long FencingToken);

public sealed record MaterializedViewReport(IReadOnlyList<ViewRefresh> Views, string? LastError);
