using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Model;

// The query strings of catalog's list endpoints, bound with [AsParameters] as search binds its request.
// A value of the wrong type (category=shoes) is a 400 naming the parameter (Hive.ServiceDefaults' binding
// failures); ListQueries checks the ranges and the cursor, naming each bad field.

/// <summary>GET /api/catalog/products: the public product list.</summary>
public sealed record ProductListRequest(
    [FromQuery(Name = "category")] int? Category,
    [FromQuery(Name = "business")] long? Business,
    [FromQuery(Name = "minPrice")] decimal? MinPrice,
    [FromQuery(Name = "maxPrice")] decimal? MaxPrice,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor);

/// <summary>GET /api/catalog/businesses/{id}/products: one business's active products.</summary>
public sealed record BusinessProductListRequest(
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor);

/// <summary>GET /api/catalog/seller/products: a seller's own products of every status.</summary>
public sealed record OwnProductListRequest(
    [FromQuery(Name = "category")] int? Category,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor);

/// <summary>GET /api/catalog/orders: the caller's orders, newest first.</summary>
public sealed record OrderListRequest(
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor);
