using System.Diagnostics;
using System.Text.RegularExpressions;
using Hive.Caching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metrics.Api.Views;

/// <summary>
/// Refreshes the materialized views CONCURRENTLY on a timer. With several metrics replicas only the one
/// holding the Redis lock refreshes; it extends the lock while the refresh runs and stops the refresh if
/// it lost the lock (a pause longer than the lock's life), so two replicas never refresh at once. The
/// lock's fencing number and the replica show in the status.
/// </summary>
public sealed partial class MaterializedViewRefresher(
    NpgsqlDataSource db,
    IHiveCache cache,
    MaterializedViewStatus status,
    IOptions<MaterializedViewOptions> options,
    ILogger<MaterializedViewRefresher> logger) : BackgroundService
{
    public const string LockEntity = "lock";
    public const string LockId = "mv-refresh";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Value.InitialDelay, stoppingToken);
            using var timer = new PeriodicTimer(options.Value.Interval);
            do
            {
                await RefreshOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Refreshes every view unless another replica holds the lock; false when it did not run (or lost the lock).</summary>
    public async Task<bool> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var ttl = options.Value.LockTtl;
        try
        {
            await using var handle = await cache.AcquireLockAsync(cache.Keys.For(LockEntity, LockId), ttl, cancellationToken: cancellationToken);
            if (handle is null)
            {
                LogBusy(logger);
                return false;
            }

            using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var extending = new CancellationTokenSource();
            var keeper = KeepLockAsync(handle, ttl, lost, extending.Token);
            try
            {
                foreach (var view in options.Value.Views)
                {
                    var clock = Stopwatch.StartNew();
                    await using var connection = await db.OpenConnectionAsync(lost.Token);
                    await using var command = new NpgsqlCommand($"REFRESH MATERIALIZED VIEW CONCURRENTLY {Identifier(view)}", connection)
                    {
                        CommandTimeout = 300,
                    };
                    await command.ExecuteNonQueryAsync(lost.Token);
                    await status.RefreshedAsync(view, clock.Elapsed, handle.FencingToken, CancellationToken.None);
                    LogRefreshed(logger, view, clock.Elapsed.TotalMilliseconds, handle.FencingToken);
                }
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                status.Failed("The refresh lock was lost while refreshing; the refresh was stopped.");
                LogLockLost(logger);
                return false;
            }
            finally
            {
                await extending.CancelAsync();
                await keeper;
            }

            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or LockUnavailableException or CacheUnavailableException)
        {
            // Postgres or Redis is away: report it and try again next round rather than stop refreshing for good.
            status.Failed(ex.Message);
            LogFailed(logger, ex);
            return false;
        }
    }

    /// <summary>Extends the lock every third of its life; cancels <paramref name="lost"/> when it cannot.</summary>
    private async Task KeepLockAsync(ICacheLock handle, TimeSpan ttl, CancellationTokenSource lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ttl / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!await handle.ExtendAsync(ttl, stop))
                {
                    await lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (LockUnavailableException ex)
        {
            // Without Redis nobody else can take the lock either, but nor can we prove we hold it: stop.
            LogFailed(logger, ex);
            await lost.CancelAsync();
        }
    }

    private static string Identifier(string view)
        => IdentifierPattern().IsMatch(view) ? view : throw new InvalidOperationException($"'{view}' is not a plain view name.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another replica is refreshing the materialized views")]
    private static partial void LogBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed {View} in {ElapsedMs:0} ms under fence {Fence}")]
    private static partial void LogRefreshed(ILogger logger, string view, double elapsedMs, long fence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The materialized-view refresh lock was lost; refresh stopped")]
    private static partial void LogLockLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Materialized view refresh failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
