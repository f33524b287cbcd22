using Hive.Caching;
using Hive.Contracts;
using Hive.Messaging.Analytics;
using Microsoft.Extensions.Options;

namespace Metrics.Api.Analytics;

/// <summary>
/// Moves the trending boards with a batch of events. Each client counts at most
/// <see cref="AnalyticsIngestionOptions.PerClientHourlyLimit"/> events of one kind per product per hour
/// (a Redis counter per client, product, kind and hour), and the all-time boards are trimmed to their size.
/// </summary>
public sealed class TrendingBoardWriter(IRedisPrimitives cache, LeaderboardReader boards, IOptions<AnalyticsIngestionOptions> options, TimeProvider clock)
{
    private const string ClientCounterEntity = "client-events";

    public async Task<BoardUpdate> ApplyAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken)
    {
        var limit = options.Value.PerClientHourlyLimit;
        var hour = clock.GetUtcNow().ToUnixTimeSeconds() / 3600;
        var groups = events
            .Where(e => e.ProductId is > 0 && TrendingBoards.Weight(e.Type) > 0)
            .GroupBy(e => (e.ClientId, ProductId: e.ProductId!.Value, e.Type))
            .ToList();

        // One counter round trip per group, pipelined; a client over its limit adds nothing more this hour.
        var counted = await Task.WhenAll(groups.Select(async group =>
        {
            var count = group.Count();
            var quantity = group.Sum(e => e.Quantity);
            if (group.Key.ClientId is not { Length: > 0 } client)
            {
                return (group.Key, Allowed: count, Quantity: quantity);
            }

            var key = cache.Keys.For(ClientCounterEntity, $"{hour}:{group.Key.Type}:{group.Key.ProductId}:{client}");
            var total = await cache.IncrementAsync(key, count, TimeSpan.FromHours(2), cancellationToken);
            var allowed = (int)Math.Clamp(limit - (total - count), 0, count);
            return (group.Key, Allowed: allowed, Quantity: count == 0 ? 0 : (int)((long)quantity * allowed / count));
        }));

        var perProduct = counted
            .Where(c => c.Allowed > 0)
            .GroupBy(c => c.Key.ProductId)
            .Select(g => (
                Product: g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Score: g.Sum(c => TrendingBoards.Weight(c.Key.Type) * (double)c.Allowed),
                Views: g.Where(c => c.Key.Type == AnalyticsEventType.View).Sum(c => c.Allowed),
                Purchases: g.Where(c => c.Key.Type == AnalyticsEventType.Purchase).Sum(c => c.Quantity)))
            .ToList();

        var writes = new List<Task>();
        foreach (var p in perProduct)
        {
            writes.Add(cache.LeaderboardIncrementAsync(TrendingBoards.Score, p.Product, p.Score, cancellationToken).AsTask());
            if (p.Views > 0)
            {
                writes.Add(cache.LeaderboardIncrementAsync(TrendingBoards.Views, p.Product, p.Views, cancellationToken).AsTask());
            }

            if (p.Purchases > 0)
            {
                writes.Add(cache.LeaderboardIncrementAsync(TrendingBoards.Purchases, p.Product, p.Purchases, cancellationToken).AsTask());
            }
        }

        await Task.WhenAll(writes);
        var size = options.Value.AllTimeBoardSize;
        var trimmed = await Task.WhenAll(
            boards.TrimAllTimeAsync(TrendingBoards.Score, size, cancellationToken),
            boards.TrimAllTimeAsync(TrendingBoards.Views, size, cancellationToken),
            boards.TrimAllTimeAsync(TrendingBoards.Purchases, size, cancellationToken));

        return new BoardUpdate(perProduct.Count, counted.Sum(c => c.Allowed), groups.Sum(g => g.Count()) - counted.Sum(c => c.Allowed), trimmed.Sum());
    }
}

/// <summary>Products moved, events counted, events over their client's limit, members trimmed from the all-time boards.</summary>
public sealed record BoardUpdate(int Products, int Counted, int OverClientLimit, long Trimmed);
