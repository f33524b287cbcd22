using Hive.Contracts;

namespace Metrics.Api.Analytics;

/// <summary>What makes an analytics batch malformed; such a batch goes to the error queue untouched.</summary>
public static class AnalyticsBatchValidator
{
    public const int MaxEvents = 10_000;
    public const int MaxClientIdLength = 128;
    public const int MaxQueryLength = 200;

    /// <summary>Null when the batch is well formed, else the reason.</summary>
    public static string? Problem(AnalyticsBatch? batch, DateTimeOffset now, TimeSpan maxAge)
    {
        if (batch?.Events is null || string.IsNullOrWhiteSpace(batch.Source))
        {
            return "The batch has no source or no events.";
        }

        if (batch.Events.Count is 0 or > MaxEvents)
        {
            return $"A batch holds 1 to {MaxEvents} events, not {batch.Events.Count}.";
        }

        for (var i = 0; i < batch.Events.Count; i++)
        {
            if (EventProblem(batch.Events[i], now, maxAge) is { } problem)
            {
                return $"Event {i}: {problem}";
            }
        }

        return null;
    }

    private static string? EventProblem(AnalyticsEvent? e, DateTimeOffset now, TimeSpan maxAge)
    {
        if (e is null)
        {
            return "the event is null.";
        }

        if (!Enum.IsDefined(e.Type))
        {
            return $"type {(int)e.Type} is unknown.";
        }

        if (e.Type == AnalyticsEventType.Search ? string.IsNullOrWhiteSpace(e.Query) : e.ProductId is not > 0)
        {
            return e.Type == AnalyticsEventType.Search ? "a search needs its query." : $"a {e.Type} needs a positive productId.";
        }

        if (e.Query is { Length: > MaxQueryLength })
        {
            return $"query is longer than {MaxQueryLength} characters.";
        }

        if (e.ClientId is { Length: > MaxClientIdLength })
        {
            return $"clientId is longer than {MaxClientIdLength} characters.";
        }

        if (e.Quantity is < 1 or > 10_000)
        {
            return "quantity must be between 1 and 10000.";
        }

        if (e.OccurredAt < now - maxAge || e.OccurredAt > now + TimeSpan.FromMinutes(5))
        {
            return $"occurredAt {e.OccurredAt:O} is outside the accepted window.";
        }

        return null;
    }
}
