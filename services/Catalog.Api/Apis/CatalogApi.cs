using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Catalog.Api.Apis;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog").WithTags("Catalog");
        api.MapGet("/categories", GetCategories).WithName("GetCategories");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<CategoryCount>>> GetCategories(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CategoryCount>(new CommandDefinition(
            """
            SELECT category_id AS Id, name AS Name, slug AS Slug, active_product_count AS ProductCount
            FROM mv_category_counts ORDER BY name
            """,
            cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<CategoryCount>>(rows.AsList());
    }
}

public sealed record CategoryCount(int Id, string Name, string Slug, long ProductCount);
