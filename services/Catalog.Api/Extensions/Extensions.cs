namespace Catalog.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("hive");
        builder.AddRedisClient("redis");
    }
}
