using Microsoft.AspNetCore.Http.HttpResults;
using Hive.Caching;

namespace Media.Api.Apis;

public static class MediaApi
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/media").WithTags("Media");
        api.MapGet("/sizes", GetSizes).WithName("GetImageSizes")
            .WithSummary("The named renditions every product image is offered in.");
        return app;
    }

    /// <summary>The renditions every product image is offered in; counts requests in the media namespace.</summary>
    public static async Task<Ok<IReadOnlyList<ImageSize>>> GetSizes(IHiveCache cache)
    {
        await cache.IncrementAsync(cache.Keys.For("requests", "sizes"));
        return TypedResults.Ok(ImageSize.All);
    }
}

public sealed record ImageSize(string Name, int Width, int Height)
{
    public static readonly IReadOnlyList<ImageSize> All =
    [
        new("thumbnail", 150, 150),
        new("small", 320, 320),
        new("medium", 640, 640),
        new("large", 1024, 1024),
        new("full", 1920, 1920),
    ];
}
