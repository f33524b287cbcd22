using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.ServiceDefaults;

/// <summary>
/// The one cursor format of every keyset page in the fleet (catalog lists, orders, search): the position
/// after a page's last row (its sort value, or its time, and its id), bound to the list it came from
/// (<see cref="Scope"/>: a search's fingerprint, a buyer's orders) and to the sort. Clients see
/// base64url(JSON ‖ HMAC-SHA256/128) from <see cref="SignedPayload"/>; a forged, truncated, foreign or
/// re-sorted cursor does not open, which the APIs answer with a 400.
/// </summary>
public sealed record KeysetCursor(
    [property: JsonPropertyName("l")] string Scope,
    [property: JsonPropertyName("s")] string Sort,
    [property: JsonPropertyName("v")] decimal? Value,
    [property: JsonPropertyName("t")] long? Ticks,
    [property: JsonPropertyName("i")] long Id)
{
    /// <summary>The longest cursor text accepted; longer input is refused before any decoding.</summary>
    public const int MaxLength = 512;

    private const int MacLength = 16;

    /// <summary>The row's time as the cursor holds it (UTC ticks), or null.</summary>
    [JsonIgnore]
    public DateTimeOffset? Time => Ticks is { } ticks && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    public string Encode(byte[] key)
        => SignedPayload.Seal(JsonSerializer.SerializeToUtf8Bytes(this, KeysetCursorJson.Default.KeysetCursor), key, MacLength);

    /// <summary>Null unless <paramref name="text"/> is a cursor this key sealed for the same scope and sort.</summary>
    public static KeysetCursor? TryOpen(string text, string scope, string sort, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = SignedPayload.TryOpen(text, key, MacLength, MaxLength);
        if (body is null)
        {
            return null;
        }

        KeysetCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize(body, KeysetCursorJson.Default.KeysetCursor);
        }
        catch (JsonException)
        {
            return null;
        }

        return cursor is not null && cursor.Scope == scope && cursor.Sort == sort ? cursor : null;
    }
}

[JsonSerializable(typeof(KeysetCursor))]
internal sealed partial class KeysetCursorJson : JsonSerializerContext;
