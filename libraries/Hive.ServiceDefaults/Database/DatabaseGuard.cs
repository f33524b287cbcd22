using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opens database connections through a Polly circuit breaker. Failures (timeouts, broken or refused
/// connections) reach it from <see cref="DatabaseExceptionHandler"/> when a request fails on them, and
/// requests that used the database and succeeded count as successes; once the breaker opens, opening a
/// connection throws <see cref="DatabaseUnavailableException"/> at once, so a hung Postgres costs each
/// uncached request nothing instead of a full command timeout, while cached answers go on being served.
/// </summary>
public sealed partial class DatabaseGuard
{
    private const string UsedItem = "Hive.Database.Used";

    private readonly NpgsqlDataSource _dataSource;
    private readonly IHttpContextAccessor _http;
    private readonly ILogger<DatabaseGuard> _logger;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _manual = new();
    private readonly ResiliencePipeline _breaker;
    private readonly TimeSpan _breakDuration;
    private DateTimeOffset _openedAt;

    public DatabaseGuard(NpgsqlDataSource dataSource, IHttpContextAccessor http, IOptions<DatabaseOptions> options, ILogger<DatabaseGuard> logger, TimeProvider time)
    {
        _dataSource = dataSource;
        _http = http;
        _logger = logger;
        var settings = options.Value;
        _breakDuration = settings.BreakDuration;
        _breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = _state,
                ManualControl = _manual,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsDatabaseFailure(ex)),
                OnOpened = args =>
                {
                    _openedAt = time.GetUtcNow();
                    LogOpened(_logger, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        Time = time;
    }

    private TimeProvider Time { get; }

    /// <summary>Whether the breaker currently answers for the database.</summary>
    public bool IsOpen => _state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>A connection from the pool, or <see cref="DatabaseUnavailableException"/> at once while the breaker is open.</summary>
    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (IsOpen)
        {
            throw new DatabaseUnavailableException("The database is not answering; requests that need it are refused for a few seconds.", RetryAfter());
        }

        if (_http.HttpContext is { } context)
        {
            context.Items[UsedItem] = true;
        }

        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            await ReportAsync(ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The background probe decided: a probe that did not answer in time isolates the breaker (every request
    /// that needs the database is a 503 at once), one that answered closes it again.
    /// </summary>
    internal async ValueTask ProbeResultAsync(bool healthy, string? reason)
    {
        if (!healthy && _state.CircuitState != CircuitState.Isolated)
        {
            _openedAt = Time.GetUtcNow();
            LogProbeFailed(_logger, reason);
            await _manual.IsolateAsync().ConfigureAwait(false);
        }
        else if (healthy && _state.CircuitState == CircuitState.Isolated)
        {
            await _manual.CloseAsync().ConfigureAwait(false);
        }
    }

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>True for the failures that mean the database is sick, not that a query was wrong.</summary>
    public static bool IsDatabaseFailure(Exception exception) => exception switch
    {
        DatabaseUnavailableException => false,
        PostgresException postgres => postgres.IsTransient,
        NpgsqlException => true,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsDatabaseFailure(inner),
    };

    /// <summary>How long until the breaker lets a request try again (at least one second).</summary>
    public TimeSpan RetryAfter()
    {
        var left = _state.CircuitState == CircuitState.Isolated
            ? TimeSpan.FromSeconds(1)
            : _openedAt + _breakDuration - Time.GetUtcNow();
        return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>Counts a failed use of the database.</summary>
    internal ValueTask ReportAsync(Exception exception) => RecordAsync(Outcome.FromException<bool>(exception));

    /// <summary>Counts the request as a successful use of the database when it opened a connection.</summary>
    internal ValueTask ReportSuccessIfUsedAsync(HttpContext context)
        => context.Items.ContainsKey(UsedItem) && !IsOpen ? RecordAsync(Outcome.FromResult(true)) : ValueTask.CompletedTask;

    private async ValueTask RecordAsync(Outcome<bool> outcome)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            // Polly's breaker learns from outcomes it executes; the work already happened, so hand it the result.
            await _breaker.ExecuteOutcomeAsync(static (_, state) => ValueTask.FromResult(state), context, outcome).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database circuit opened for {Seconds} s: {Reason}")]
    private static partial void LogOpened(ILogger logger, double seconds, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database probe failed, refusing database work until it answers: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database circuit closed: the database answers again")]
    private static partial void LogClosed(ILogger logger);
}
