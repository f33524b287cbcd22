using Microsoft.AspNetCore.Mvc;

namespace Search.Api.Model;

/// <summary>
/// The query string of GET /api/search as the client sent it, bound with [AsParameters]. Everything binds
/// as text so the parser can say what is wrong with a malformed number (a 400 naming the parameter) in
/// the same words as its range checks.
/// </summary>
public sealed record SearchRequest(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "category")] string? Category,
    [FromQuery(Name = "minPrice")] string? MinPrice,
    [FromQuery(Name = "maxPrice")] string? MaxPrice,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "pageSize")] string? PageSize);
