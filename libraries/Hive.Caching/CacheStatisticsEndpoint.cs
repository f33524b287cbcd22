using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hive.Caching;

public static class CacheStatisticsEndpoint
{
    public const string Path = "/admin/cache";

    /// <summary>The authorization policy (role admin) every <c>/admin/*</c> endpoint of a service requires; registered by AddHiveAuthentication.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Maps <c>/admin/cache</c> (admins only): this replica's cache statistics, which the metrics service gathers for the fleet.</summary>
    public static IEndpointRouteBuilder MapCacheStatistics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, (IHiveCache cache) => TypedResults.Ok(cache.GetStatistics()))
            .WithName("GetCacheStatistics")
            .RequireAuthorization(AdminPolicy)
            .ExcludeFromDescription();
        return app;
    }
}
