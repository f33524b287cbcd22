using Hive.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Metrics.Api.Analytics;

/// <summary>Appends analytics events to <c>analytics_events</c> with one binary COPY per batch.</summary>
public sealed class AnalyticsStore(NpgsqlDataSource db)
{
    private const string Copy =
        "COPY analytics_events (event_type, product_id, business_id, category_id, session_id, query, created_at) FROM STDIN (FORMAT BINARY)";

    public async Task<ulong> AppendAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var e in events)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(StoredName(e.Type), NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, e.ProductId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(writer, e.BusinessId, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(writer, e.CategoryId, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(writer, e.ClientId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, e.Query, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(e.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        }

        return await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>The names the table's CHECK constraint allows.</summary>
    public static string StoredName(AnalyticsEventType type) => type switch
    {
        AnalyticsEventType.View => "view",
        AnalyticsEventType.Search => "search",
        AnalyticsEventType.AddToCart => "add_to_cart",
        AnalyticsEventType.Purchase => "purchase",
        AnalyticsEventType.Click => "click",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown analytics event type."),
    };

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
        => value is { } v ? writer.WriteAsync(v, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken)
        => value is not null ? writer.WriteAsync(value, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
