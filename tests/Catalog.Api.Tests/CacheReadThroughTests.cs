using Hive.Contracts;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// Reads really come from the cache, and invalidation really drops them: a row changed behind the
/// cache's back (plain SQL, no event) stays invisible, the stale value is seen served, and only the
/// ProductChanged event on the bus makes the change visible. A service that bypassed its cache, or an
/// invalidation that dropped nothing, fails here.
/// </summary>
[Collection(CatalogCollection.Name)]
public sealed class CacheReadThroughTests(CatalogFixture catalog)
{
    [Fact]
    public async Task AProductChangedBehindTheCachesBackIsServedStaleUntilItsEventArrives()
    {
        const long id = 37; // business A, category 3, active
        using var reader = catalog.Factory.CreateClient();
        string[] views = [$"/api/catalog/products/{id}", "/api/catalog/products/by-slug/kikoi-wrap-37", "/api/catalog/businesses/1/products?pageSize=100"];
        foreach (var view in views)
        {
            Assert.Contains("\"name\":\"Kikoi wrap 37\"", await reader.GetStringAsync(view), StringComparison.Ordinal);
        }

        var version = await catalog.ScalarAsync<long>(
            "UPDATE products SET name = 'Kikoi wrap 37 (changed)', version = version + 1, updated_at = now() WHERE id = $1 RETURNING version", id);

        foreach (var view in views)
        {
            var stale = await reader.GetStringAsync(view);
            Assert.Contains("\"name\":\"Kikoi wrap 37\"", stale, StringComparison.Ordinal);
            Assert.DoesNotContain("(changed)", stale, StringComparison.Ordinal);
        }

        var bus = catalog.Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(new ProductChanged(id, CatalogFixture.BusinessA, 3, "kikoi-wrap-37", ProductChangeKind.Updated, version, DateTimeOffset.UtcNow));

        foreach (var view in views)
        {
            await Eventually.TrueAsync(
                async () => (await reader.GetStringAsync(view)).Contains("Kikoi wrap 37 (changed)", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20),
                $"{view} shows the change once catalog consumed its ProductChanged");
        }
    }
}
