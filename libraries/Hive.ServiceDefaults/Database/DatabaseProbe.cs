using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Asks the database <c>SELECT 1</c> every <see cref="DatabaseOptions.ProbeInterval"/> and judges it by the
/// wall clock: a hung Postgres (process stopped, disk stalled) accepts connections and never answers, and
/// Npgsql needs its command timeout plus two connect timeouts to give up, so the probe does not wait for it.
/// </summary>
internal sealed class DatabaseProbe(DatabaseGuard guard, IOptions<DatabaseOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ProbeInterval, time);
        Task? running = null;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // A probe stuck on a hung server keeps the breaker isolated; start no second one beside it.
            running ??= ProbeOnceAsync(guard.DataSource, stoppingToken);
            var finished = await Task.WhenAny(running, Task.Delay(settings.ProbeTimeout, time, stoppingToken)).ConfigureAwait(false) == running;
            if (!finished)
            {
                await guard.ProbeResultAsync(false, $"no answer to SELECT 1 within {settings.ProbeTimeout.TotalMilliseconds:0} ms").ConfigureAwait(false);
                continue;
            }

            var error = running.Exception?.GetBaseException();
            running = null;
            if (error is not null && !DatabaseGuard.IsDatabaseFailure(error) && error is not OperationCanceledException)
            {
                continue;
            }

            await guard.ProbeResultAsync(error is null, error?.Message).ConfigureAwait(false);
        }
    }

    private static async Task ProbeOnceAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
