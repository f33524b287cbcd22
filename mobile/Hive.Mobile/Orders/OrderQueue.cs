using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Http;
using Hive.Mobile.Models;
using Hive.Mobile.Storage;

namespace Hive.Mobile.Orders;

/// <summary>
/// Orders survive anything the phone does. An order is committed to SQLite with a fresh Idempotency-Key
/// before the first attempt, so an app killed mid-send resends the same key on its next start and the
/// server answers with the order it already placed: nothing lost, nothing twice. The queue drains in the
/// order orders were placed, one at a time, whenever the network returns, the app starts or an order is
/// added; when the head order could not be sent (retries spent), the queue waits for its retry timer, the
/// network's return or a new sign-in before trying again, however many orders are added. A definite refusal
/// (out of stock, bad input) leaves the queue with the server's ProblemDetails; an expired sign-in pauses it
/// until the user signs in again.
/// </summary>
public sealed class OrderQueue : IAsyncDisposable
{
    private const string Pending = "pending";
    private const string Sent = "sent";
    private const string Refused = "refused";

    private readonly LocalDatabase _database;
    private readonly HiveTransport _transport;
    private readonly ConnectivityTracker _connectivity;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _retryInterval;
    private readonly SemaphoreSlim _drainGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OrderOutcome>> _waiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private ITimer? _retryTimer;
    private volatile bool _paused;

    // Set when the head order could not be sent (network, server trouble): drains started by a new order or
    // at start-up then leave it to the retry timer, the network's return, a new sign-in or an explicit drain.
    private volatile bool _waitingToRetry;

    internal OrderQueue(LocalDatabase database, HiveTransport transport, ConnectivityTracker connectivity, TimeProvider clock, TimeSpan retryInterval)
    {
        _database = database;
        _transport = transport;
        _connectivity = connectivity;
        _clock = clock;
        _retryInterval = retryInterval;
        _connectivity.Online += OnOnline;
    }

    /// <summary>An order was placed on the server (possibly on a later run than the one that queued it).</summary>
    public event EventHandler<OrderOutcome>? OrderPlaced;

    /// <summary>The server refused an order for good; it has left the queue. The outcome carries the ProblemDetails.</summary>
    public event EventHandler<OrderOutcome>? OrderRefused;

    /// <summary>The sign-in expired: the queue waits until <see cref="Resume"/> after the user signs in again.</summary>
    public event EventHandler? SignInRequired;

    public bool IsPaused => _paused;

    private string CurrentUser => _transport.Tokens?.UserId ?? string.Empty;

    /// <summary>
    /// Commits the order to the queue (with a new Idempotency-Key) and starts sending it when the network
    /// allows. Returns once the order is safe on disk, not when it is placed: see <see cref="WhenFinishedAsync"/>.
    /// </summary>
    public async Task<QueuedOrder> PlaceAsync(OrderRequest order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var key = Guid.NewGuid().ToString("N");
        var now = _clock.GetUtcNow();
        var body = JsonSerializer.Serialize(order, HiveJsonContext.Default.OrderRequest);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO order_queue (idempotency_key, user_id, body, state, queued_at) VALUES ($key, $user, $body, 'pending', $now)
            RETURNING seq
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$user", CurrentUser);
        command.Parameters.AddWithValue("$body", body);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        StartDrain();
        return new QueuedOrder(sequence, key, order, now, 0);
    }

    /// <summary>Completes when the order with this key is placed or refused (on this run).</summary>
    public Task<OrderOutcome> WhenFinishedAsync(string idempotencyKey, CancellationToken cancellationToken = default)
        => _waiters.GetOrAdd(idempotencyKey, _ => new TaskCompletionSource<OrderOutcome>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<QueuedOrder>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, idempotency_key, body, queued_at, attempts FROM order_queue WHERE state = 'pending' ORDER BY seq";
        var pending = new List<QueuedOrder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new QueuedOrder(
                reader.GetInt64(0),
                reader.GetString(1),
                JsonSerializer.Deserialize(reader.GetString(2), HiveJsonContext.Default.OrderRequest)!,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetInt32(4)));
        }

        return pending;
    }

    /// <summary>Outcomes not yet shown to the user (from this run or an earlier one); taking them removes them.</summary>
    public async Task<IReadOnlyList<OrderOutcome>> TakeOutcomesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM order_queue WHERE state <> 'pending' RETURNING idempotency_key, body, state, result, seq";
        var outcomes = new List<(long Seq, OrderOutcome Outcome)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outcomes.Add((reader.GetInt64(4), ReadOutcome(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))));
        }

        return outcomes.OrderBy(o => o.Seq).Select(o => o.Outcome).ToList();
    }

    /// <summary>The sign-in expired: nothing is sent until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        _paused = true;
        SignInRequired?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Call after the user signed in again: the paused queue carries on.</summary>
    public void Resume()
    {
        _paused = false;
        StartDrain(now: true);
    }

    /// <summary>
    /// Sends pending orders in order until the queue is empty, the network fails, or the sign-in expired; at once,
    /// even when the queue was waiting for its retry timer.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        _waitingToRetry = false;
        return DrainQueueAsync(cancellationToken);
    }

    private async Task DrainQueueAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        await _drainGate.WaitAsync(token);
        try
        {
            while (!_paused && !_waitingToRetry && !_connectivity.PlatformOffline)
            {
                var next = await NextAsync(token);
                if (next is null)
                {
                    return;
                }

                if (!await SendAsync(next, token))
                {
                    return;
                }
            }
        }
        finally
        {
            _drainGate.Release();
        }
    }

    /// <summary>
    /// Drains in the background. <paramref name="now"/>: a reason to try again at once (the retry timer, the
    /// network's return, a new sign-in); without it, a queue waiting to retry keeps waiting.
    /// </summary>
    internal void StartDrain(bool now = false)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        if (now)
        {
            _waitingToRetry = false;
        }

        var task = Task.Run(async () =>
        {
            try
            {
                await DrainQueueAsync(CancellationToken.None);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException) when (_stopping.IsCancellationRequested)
            {
            }
        });
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when every drain started so far has ended (tests use it to know the queue is at rest).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_running.Keys);

    /// <summary>False when draining must stop (network, server trouble, sign-in).</summary>
    private async Task<bool> SendAsync(QueuedOrder order, CancellationToken cancellationToken)
    {
        await CountAttemptAsync(order.IdempotencyKey, cancellationToken);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(order.Request, HiveJsonContext.Default.OrderRequest));
        try
        {
            using var response = await _transport.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "api/catalog/orders")
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
                    };
                    request.Headers.Add(RetryPolicy.IdempotencyKeyHeader, order.IdempotencyKey);
                    return request;
                },
                authenticate: true,
                cancellationToken);
            var placed = await response.Content.ReadFromJsonAsync(HiveJsonContext.Default.Order, cancellationToken);
            await FinishAsync(order, Sent, JsonSerializer.Serialize(placed!, HiveJsonContext.Default.Order));
            Report(new OrderOutcome(order.IdempotencyKey, order.Request, placed, null), OrderPlaced);
            return true;
        }
        catch (HiveApiException refusal) when (refusal.Status == HttpStatusCode.Unauthorized)
        {
            Pause();
            return false;
        }
        catch (HiveApiException refusal) when (refusal.IsDefinite)
        {
            await FinishAsync(order, Refused, JsonSerializer.Serialize(refusal.Problem, HiveJsonContext.Default.ProblemDetails));
            Report(new OrderOutcome(order.IdempotencyKey, order.Request, null, refusal.Problem), OrderRefused);
            return true;
        }
        catch (Exception ex) when (ex is HiveApiException or HiveOfflineException)
        {
            // Retries are spent; the order waits for the network to come back (or the next timer).
            ScheduleRetry();
            return false;
        }
    }

    private void Report(OrderOutcome outcome, EventHandler<OrderOutcome>? handler)
    {
        handler?.Invoke(this, outcome);
        _waiters.GetOrAdd(outcome.IdempotencyKey, _ => new TaskCompletionSource<OrderOutcome>(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult(outcome);
    }

    private void ScheduleRetry()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _waitingToRetry = true;
        _retryTimer?.Dispose();
        _retryTimer = _clock.CreateTimer(_ => StartDrain(now: true), null, _retryInterval, Timeout.InfiniteTimeSpan);
    }

    private async Task<QueuedOrder?> NextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Only the signed-in user's orders: another user's wait until that user signs in again.
        command.CommandText = "SELECT seq, idempotency_key, body, queued_at, attempts FROM order_queue WHERE state = 'pending' AND user_id = $user ORDER BY seq LIMIT 1";
        command.Parameters.AddWithValue("$user", CurrentUser);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new QueuedOrder(
            reader.GetInt64(0),
            reader.GetString(1),
            JsonSerializer.Deserialize(reader.GetString(2), HiveJsonContext.Default.OrderRequest)!,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.GetInt32(4));
    }

    private async Task CountAttemptAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE order_queue SET attempts = attempts + 1 WHERE idempotency_key = $key";
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task FinishAsync(QueuedOrder order, string state, string result)
    {
        // Not cancellable: once the server has answered, that answer must be recorded.
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE order_queue SET state = $state, result = $result, finished_at = $now WHERE idempotency_key = $key";
        command.Parameters.AddWithValue("$key", order.IdempotencyKey);
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$result", result);
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static OrderOutcome ReadOutcome(string key, string body, string state, string? result)
    {
        var request = JsonSerializer.Deserialize(body, HiveJsonContext.Default.OrderRequest)!;
        return state == Sent
            ? new OrderOutcome(key, request, result is null ? null : JsonSerializer.Deserialize(result, HiveJsonContext.Default.Order), null)
            : new OrderOutcome(key, request, null, result is null ? null : JsonSerializer.Deserialize(result, HiveJsonContext.Default.ProblemDetails));
    }

    private void OnOnline(object? sender, EventArgs e) => StartDrain(now: true);

    public async ValueTask DisposeAsync()
    {
        _connectivity.Online -= OnOnline;
        await _stopping.CancelAsync();
        _retryTimer?.Dispose();
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetCanceled();
        }

        _stopping.Dispose();
        _drainGate.Dispose();
    }
}
