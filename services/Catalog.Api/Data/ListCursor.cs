using Hive.ServiceDefaults;

namespace Catalog.Api.Data;

/// <summary>
/// The position after the last row of a product list page: the sort value and id of that row, in the
/// fleet's one signed cursor format (<see cref="KeysetCursor"/>), so a client can neither forge a position
/// nor reuse a cursor of another sort.
/// </summary>
public sealed record ListCursor(ProductSort Sort, DateTimeOffset? CreatedAt, decimal? Price, long Id)
{
    private const string Scope = "products";

    public string Encode(byte[] key)
        => new KeysetCursor(Scope, SortName(Sort), Sort == ProductSort.Newest ? null : Price, Sort == ProductSort.Newest ? CreatedAt!.Value.UtcTicks : null, Id).Encode(key);

    /// <summary>Null when the text is not a cursor this service issued for <paramref name="sort"/>.</summary>
    public static ListCursor? TryDecode(string text, ProductSort sort, byte[] key)
    {
        var cursor = KeysetCursor.TryOpen(text, Scope, SortName(sort), key);
        return sort switch
        {
            _ when cursor is null => null,
            ProductSort.Newest when cursor.Time is { } createdAt => new ListCursor(sort, createdAt, null, cursor.Id),
            ProductSort.PriceAscending or ProductSort.PriceDescending when cursor.Value is { } price => new ListCursor(sort, null, price, cursor.Id),
            _ => null,
        };
    }

    private static string SortName(ProductSort sort) => sort switch
    {
        ProductSort.Newest => "newest",
        ProductSort.PriceAscending => "price-asc",
        _ => "price-desc",
    };
}
