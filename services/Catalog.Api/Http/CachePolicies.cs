namespace Catalog.Api.Http;

public static class CachePolicies
{
    /// <summary>One product: clients may reuse it briefly, then revalidate with the ETag.</summary>
    public const string Product = "public, max-age=60, stale-while-revalidate=300";

    /// <summary>Lists change with any product: short reuse, revalidate after.</summary>
    public const string List = "public, max-age=30, stale-while-revalidate=120";

    /// <summary>Categories barely change.</summary>
    public const string Categories = "public, max-age=300, stale-while-revalidate=3600";
}
