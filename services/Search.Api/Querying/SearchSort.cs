namespace Search.Api.Querying;

/// <summary>Result order. Every order ends with the product id, so keyset pages are stable.</summary>
internal enum SearchSort
{
    /// <summary>Best match first: exact name, then name, description, category, business matches; typo matches last.</summary>
    Relevance,

    /// <summary>Cheapest first.</summary>
    Price,

    /// <summary>Most recently listed first.</summary>
    Newest,
}
