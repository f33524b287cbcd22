namespace Hive.Mobile.Caching;

/// <summary>Kinds of answer, each with its own lifetime in the request cache.</summary>
public enum ResourceKind
{
    Categories,
    ProductList,
    Product,
    Search,
    Autocomplete,
    MediaInfo,

    /// <summary>The signed-in buyer's own answers: cached per user and wiped on sign-out.</summary>
    Private,
}

/// <summary>How long each kind stays fresh. The defaults follow the fleet's Cache-Control max-age values.</summary>
public sealed class CacheLifetimes
{
    public TimeSpan Categories { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ProductList { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Product { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Search { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Autocomplete { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MediaInfo { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan Private { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan For(ResourceKind kind) => kind switch
    {
        ResourceKind.Categories => Categories,
        ResourceKind.ProductList => ProductList,
        ResourceKind.Product => Product,
        ResourceKind.Search => Search,
        ResourceKind.Autocomplete => Autocomplete,
        ResourceKind.MediaInfo => MediaInfo,
        _ => Private,
    };
}
