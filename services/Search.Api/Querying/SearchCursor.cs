using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hive.ServiceDefaults;

namespace Search.Api.Querying;

/// <summary>
/// The position after the last hit of a page: its sort value and id, and the fingerprint of the search
/// it belongs to. Clients see base64url(JSON ‖ HMAC-SHA256/128); a forged, truncated or foreign cursor
/// fails to decode, which the API answers with 400.
/// </summary>
internal sealed record SearchCursor(
    [property: JsonPropertyName("f")] string Fingerprint,
    [property: JsonPropertyName("s")] SearchSort Sort,
    [property: JsonPropertyName("v")] decimal? Value,
    [property: JsonPropertyName("t")] long? Ticks,
    [property: JsonPropertyName("i")] long Id)
{
    public const int MaxLength = 512;
    private const int MacLength = 16;

    /// <summary>A stable text of the position, used in the page's cache id.</summary>
    [JsonIgnore]
    public string Position => string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}-{Value?.ToString("0.############################", CultureInfo.InvariantCulture)}-{Ticks}-{Id}");

    public string Encode(byte[] key)
        => SignedPayload.Seal(JsonSerializer.SerializeToUtf8Bytes(this, SearchCursorJson.Default.SearchCursor), key, MacLength);

    /// <summary>Null unless <paramref name="text"/> is a cursor this service signed for the same search and sort.</summary>
    public static SearchCursor? TryDecode(string text, string fingerprint, SearchSort sort, byte[] key)
    {
        var body = SignedPayload.TryOpen(text, key, MacLength, MaxLength);
        if (body is null)
        {
            return null;
        }

        SearchCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize(body, SearchCursorJson.Default.SearchCursor);
        }
        catch (JsonException)
        {
            return null;
        }

        var complete = cursor?.Sort switch
        {
            SearchSort.Relevance or SearchSort.Price => cursor.Value is not null,
            SearchSort.Newest => cursor.Ticks is not null,
            _ => false,
        };
        return complete && cursor!.Sort == sort && cursor.Fingerprint == fingerprint ? cursor : null;
    }
}

[JsonSerializable(typeof(SearchCursor))]
internal sealed partial class SearchCursorJson : JsonSerializerContext;
