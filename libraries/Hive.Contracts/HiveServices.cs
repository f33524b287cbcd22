namespace Hive.Contracts;

/// <summary>
/// The fleet's services by the names they go by everywhere: AppHost resources, service-discovery hosts
/// (<c>http://catalog</c>), Redis namespaces, RabbitMQ queues and the metrics fan-out. One list, so a
/// service added in one place and forgotten in another fails a test (<c>FleetServiceListTests</c>).
/// </summary>
public static class HiveServices
{
    public const string Identity = "identity";
    public const string Catalog = "catalog";
    public const string Search = "search";
    public const string Media = "media";
    public const string Metrics = "metrics";
    public const string Gateway = "gateway";

    /// <summary>The services the gateway routes to.</summary>
    public static readonly IReadOnlyList<string> BehindTheGateway = [Identity, Catalog, Search, Media, Metrics];

    /// <summary>The services with a <c>{service}-product-changed</c> queue: each drops what it holds about a changed product.</summary>
    public static readonly IReadOnlyList<string> ProductChangeConsumers = [Catalog, Search, Media, Metrics];

    /// <summary>Every long-running project of the fleet (the migrator is a job, not a service).</summary>
    public static readonly IReadOnlyList<string> All = [.. BehindTheGateway, Gateway];
}
