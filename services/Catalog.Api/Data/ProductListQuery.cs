using System.Globalization;

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

    /// <summary>
    /// Built from the parsed request only: amounts without trailing zeros (<c>10</c> and <c>10.0</c> are one
    /// entry), the cursor as the position it decodes to (never its text), unknown parameters never.
    /// </summary>
    public string CacheId => string.Join(
        '|',
        CategoryId?.ToString(CultureInfo.InvariantCulture) ?? "-",
        BusinessId?.ToString(CultureInfo.InvariantCulture) ?? "-",
        Amount(MinPrice),
        Amount(MaxPrice),
        Status ?? "*",
        Sort,
        PageSize.ToString(CultureInfo.InvariantCulture),
        After is { } after
            ? $"{after.CreatedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture)}~{Amount(after.Price)}~{after.Id.ToString(CultureInfo.InvariantCulture)}"
            : "-");

    private static string Amount(decimal? value) => value?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "-";
}
