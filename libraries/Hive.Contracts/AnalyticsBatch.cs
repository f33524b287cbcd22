using System.Text.Json.Serialization;

namespace Hive.Contracts;

/// <summary>What a buyer did; stored in <c>analytics_events</c> under the snake_case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnalyticsEventType>))]
public enum AnalyticsEventType
{
    View,
    Search,
    AddToCart,
    Purchase,
    Click,
}

/// <summary>
/// One thing a buyer did. <see cref="ClientId"/> is the caller (a session, a user or an address) so that one
/// client's flood can be bounded; <see cref="Quantity"/> is how many of the product a purchase took.
/// </summary>
public sealed record AnalyticsEvent(
    AnalyticsEventType Type,
    long? ProductId,
    long? BusinessId,
    int? CategoryId,
    string? ClientId,
    string? Query,
    int Quantity,
    DateTimeOffset OccurredAt);

/// <summary>Events recorded by one service, published together so a busy service sends few messages.</summary>
public sealed record AnalyticsBatch(string Source, IReadOnlyList<AnalyticsEvent> Events);
