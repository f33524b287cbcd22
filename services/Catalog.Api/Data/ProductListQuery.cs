namespace Catalog.Api.Data;

/// <summary>
/// A validated list request. Its <see cref="CacheId"/> is the same for equivalent requests. A null
/// <see cref="Status"/> (every status) is only ever built for a seller's own list, which is not cached.
/// </summary>
public sealed record ProductListQuery(
    int? CategoryId,
    long? BusinessId,
    decimal? MinPrice,
    decimal? MaxPrice,
    string? Status,
    ProductSort Sort,
    int PageSize,
    ListCursor? After,
    string? CursorText)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public string CacheId => string.Join(
        '|',
        CategoryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        BusinessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        MinPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        MaxPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        Status ?? "*",
        Sort,
        PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CursorText ?? "-");
}
