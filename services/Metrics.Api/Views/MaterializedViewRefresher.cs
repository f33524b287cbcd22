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
    IRedisPrimitives cache,
    MaterializedViewStatus status,
    IOptions<MaterializedViewOptions> options,
    TimeProvider clock,
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
                try
                {
                    await RefreshOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One bad round (StackExchange.Redis has thrown InvalidOperationException from a connection
                    // torn down under load) must not stop the host; the next round tries again.
                    status.Failed(ex.Message);
                    LogFailed(logger, ex);
                }
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
            // The lease counts from before the request left: Redis may have set it that early.
            var askedAt = clock.GetTimestamp();
            await using var handle = await cache.AcquireLockAsync(cache.Keys.For(LockEntity, LockId), ttl, cancellationToken: cancellationToken);
            if (handle is null)
            {
                LogBusy(logger);
                return false;
            }

            using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var extending = new CancellationTokenSource();
            var keeper = KeepLockAsync(handle, ttl, askedAt, lost, extending.Token);
            try
            {
                foreach (var view in options.Value.Views)
                {
                    var elapsed = Stopwatch.StartNew();
                    await using var connection = await db.OpenConnectionAsync(lost.Token);
                    await using var command = new NpgsqlCommand($"REFRESH MATERIALIZED VIEW CONCURRENTLY {Identifier(view)}", connection)
                    {
                        CommandTimeout = 300,
                    };
                    await command.ExecuteNonQueryAsync(lost.Token);
                    await status.RefreshedAsync(view, elapsed.Elapsed, handle.FencingToken, CancellationToken.None);
                    LogRefreshed(logger, view, elapsed.Elapsed.TotalMilliseconds, handle.FencingToken);
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

    /// <summary>
    /// Extends the lock every third of its life. The refresh stops (<paramref name="lost"/>) as soon as the
    /// lease can no longer be proven: when Redis says another holder has it, or when the last confirmed
    /// lease has run out without a successful extension (Redis unreachable, or this process too starved to
    /// ask in time). Waiting for Redis to say so would let a second replica refresh in the meantime, since
    /// an expired lock is free to take. A single slow or failed extension is retried while the lease lasts.
    /// </summary>
    private async Task KeepLockAsync(ICacheLock handle, TimeSpan ttl, long askedAt, CancellationTokenSource lost, CancellationToken stop)
    {
        var leaseEnds = askedAt + Ticks(ttl);
        using var timer = new PeriodicTimer(ttl / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var sentAt = clock.GetTimestamp();
                var left = clock.GetElapsedTime(sentAt, leaseEnds);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                attempt.CancelAfter(left);
                try
                {
                    if (!await handle.ExtendAsync(ttl, attempt.Token))
                    {
                        break;
                    }

                    leaseEnds = sentAt + Ticks(ttl);
                }
                catch (LockUnavailableException ex)
                {
                    LogExtensionFailed(logger, left.TotalMilliseconds, ex);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // The lease ran out while the extension was in flight.
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        if (!stop.IsCancellationRequested)
        {
            await lost.CancelAsync();
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not extend the refresh lock; retrying while its lease lasts ({LeftMs:0} ms)")]
    private static partial void LogExtensionFailed(ILogger logger, double leftMs, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Materialized view refresh failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
