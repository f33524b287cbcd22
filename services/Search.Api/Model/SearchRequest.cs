namespace Search.Api.Model;

/// <summary>
/// The query string of GET /api/search as the client sent it (names bind case-insensitively: q,
/// category, minPrice, maxPrice, sort, cursor, pageSize). Everything binds as text so a malformed
/// number becomes a 400 naming the parameter, never a binder failure.
/// </summary>
public sealed record SearchRequest(
    string? Q,
    string? Category,
    string? MinPrice,
    string? MaxPrice,
    string? Sort,
    string? Cursor,
    string? PageSize);
