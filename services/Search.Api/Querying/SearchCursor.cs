using System.Globalization;
using Hive.ServiceDefaults;

namespace Search.Api.Querying;

/// <summary>
/// The position after the last hit of a page: its sort value and id, bound to the fingerprint of the search
/// it belongs to, in the fleet's one signed cursor format (<see cref="KeysetCursor"/>); a forged, truncated
/// or foreign cursor fails to decode, which the API answers with 400.
/// </summary>
internal sealed record SearchCursor(string Fingerprint, SearchSort Sort, decimal? Value, long? Ticks, long Id)
{
    public const int MaxLength = KeysetCursor.MaxLength;

    /// <summary>A stable text of the position, used in the page's cache id.</summary>
    public string Position => string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}-{Value?.ToString("0.############################", CultureInfo.InvariantCulture)}-{Ticks}-{Id}");

    public string Encode(byte[] key) => new KeysetCursor(Fingerprint, SortName(Sort), Value, Ticks, Id).Encode(key);

    /// <summary>Null unless <paramref name="text"/> is a cursor this service signed for the same search and sort.</summary>
    public static SearchCursor? TryDecode(string text, string fingerprint, SearchSort sort, byte[] key)
    {
        var cursor = KeysetCursor.TryOpen(text, fingerprint, SortName(sort), key);
        var complete = sort switch
        {
            _ when cursor is null => false,
            SearchSort.Relevance or SearchSort.Price => cursor.Value is not null,
            SearchSort.Newest => cursor.Time is not null,
            _ => false,
        };
        return complete ? new SearchCursor(fingerprint, sort, cursor!.Value, cursor.Ticks, cursor.Id) : null;
    }

    private static string SortName(SearchSort sort) => sort.ToString().ToLowerInvariant();
}
