using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Search.Api.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/search").WithTags("Search");
        api.MapGet("/popular", GetPopular).WithName("GetPopularSearches");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<PopularQuery>>> GetPopular(IConnectionMultiplexer redis)
    {
        var entries = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync("search:popular:day", 0, 9, Order.Descending);
        return TypedResults.Ok<IReadOnlyList<PopularQuery>>(entries.Select(e => new PopularQuery(e.Element!, (long)e.Score)).ToList());
    }
}

public sealed record PopularQuery(string Query, long Count);
