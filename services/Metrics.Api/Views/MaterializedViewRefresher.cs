using System.Diagnostics;
using System.Text.RegularExpressions;
using Hive.Caching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Metrics.Api.Views;

/// <summary>
/// Refreshes the materialized views CONCURRENTLY on a timer. With several metrics replicas only the one
/// holding the Redis lock refreshes; the lock's fencing number shows in the status so an operator can see
/// which round ran last.
/// </summary>
public sealed partial class MaterializedViewRefresher(
    NpgsqlDataSource db,
    IHiveCache cache,
    MaterializedViewStatus status,
    IOptions<MaterializedViewOptions> options,
    ILogger<MaterializedViewRefresher> logger) : BackgroundService
{
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

    /// <summary>Refreshes every view unless another replica holds the lock; false when it did not run.</summary>
    public async Task<bool> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var handle = await cache.AcquireLockAsync(cache.Keys.For("lock", "mv-refresh"), TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
            if (handle is null)
            {
                LogBusy(logger);
                return false;
            }

            foreach (var view in options.Value.Views)
            {
                var clock = Stopwatch.StartNew();
                await using var connection = await db.OpenConnectionAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"REFRESH MATERIALIZED VIEW CONCURRENTLY {Identifier(view)}", connection)
                {
                    CommandTimeout = 300,
                };
                await command.ExecuteNonQueryAsync(cancellationToken);
                status.Refreshed(view, clock.Elapsed, handle.FencingToken);
                LogRefreshed(logger, view, clock.Elapsed.TotalMilliseconds);
            }

            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or LockUnavailableException)
        {
            // Postgres or Redis is away: report it and try again next round rather than stop refreshing for good.
            status.Failed(ex.Message);
            LogFailed(logger, ex.Message);
            return false;
        }
    }

    private static string Identifier(string view)
        => IdentifierPattern().IsMatch(view) ? view : throw new InvalidOperationException($"'{view}' is not a plain view name.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another replica is refreshing the materialized views")]
    private static partial void LogBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshed {View} in {ElapsedMs:0} ms")]
    private static partial void LogRefreshed(ILogger logger, string view, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Materialized view refresh failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
