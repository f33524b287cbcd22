using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Search.Api.Querying;

/// <summary>A validated search: everything the SQL and the cache key depend on, nothing else.</summary>
internal sealed record SearchQuery(
    QueryText Text,
    string? CategorySlug,
    int? CategoryId,
    decimal? MinPrice,
    decimal? MaxPrice,
    SearchSort Sort,
    int PageSize,
    SearchCursor? Cursor)
{
    /// <summary>
    /// Identifies the result set a cursor walks through (text, filters, sort, not page size or position):
    /// a cursor from one search is refused by another instead of silently skipping rows.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var canonical = string.Create(CultureInfo.InvariantCulture, $"{Text.TermText}\n{CategorySlug}\n{Amount(MinPrice)}\n{Amount(MaxPrice)}\n{Sort}");
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 8));
        }
    }

    /// <summary>The cache id of this page: equivalent searches (same terms, filters, sort, page) share it.</summary>
    public string CacheId => string.Create(
        CultureInfo.InvariantCulture,
        $"{Fingerprint}-{PageSize}-{Cursor?.Position ?? "first"}");

    // 100, 100.0 and 100.00 are one price and must be one cache entry.
    private static string? Amount(decimal? value) => value?.ToString("0.############", CultureInfo.InvariantCulture);
}
