using System.Globalization;
using System.Text;
using Hive.ServiceDefaults;

namespace Catalog.Api.Data;

/// <summary>
/// The position after the last row of a page: the sort value and id of that row, signed with HMAC so a
/// client can neither forge a position nor reuse a cursor of another sort. Opaque base64url to clients.
/// </summary>
public sealed record ListCursor(ProductSort Sort, DateTimeOffset? CreatedAt, decimal? Price, long Id)
{
    private const int MacLength = 12;

    public string Encode(byte[] key)
    {
        var body = Sort switch
        {
            ProductSort.Newest => $"n|{CreatedAt!.Value.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{(Sort == ProductSort.PriceAscending ? "a" : "d")}|{Price!.Value.ToString(CultureInfo.InvariantCulture)}|{Id.ToString(CultureInfo.InvariantCulture)}",
        };
        return SignedPayload.Seal(Encoding.UTF8.GetBytes(body), key, MacLength);
    }

    /// <summary>Null when the text is not a cursor this service issued for <paramref name="sort"/>.</summary>
    public static ListCursor? TryDecode(string text, ProductSort sort, byte[] key)
    {
        var body = SignedPayload.TryOpen(text, key, MacLength, maxLength: 200);
        if (body is null)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(body).Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return (parts[0], sort) switch
        {
            ("n", ProductSort.Newest) when long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                => new ListCursor(sort, new DateTimeOffset(ticks, TimeSpan.Zero), null, id),
            ("a", ProductSort.PriceAscending) or ("d", ProductSort.PriceDescending)
                when decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var price)
                => new ListCursor(sort, null, price, id),
            _ => null,
        };
    }
}
