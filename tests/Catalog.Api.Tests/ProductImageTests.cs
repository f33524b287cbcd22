using System.Net.Http.Json;
using Catalog.Api.Model;
using Hive.Contracts;
using Hive.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>Media announces images (ProductImageChanged); catalog records them and its answers carry them.</summary>
[Collection(CatalogCollection.Name)]
public sealed class ProductImageTests(CatalogFixture fixture)
{
    [Fact]
    public async Task AnnouncedImageAppearsInTheProductAndItsListCardWithItsPlaceholder()
    {
        const long productId = 11;
        var outboxBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE aggregate_id = $1", productId);
        var image = new ProductImageChanged(900001, productId, CatalogFixture.BusinessA, ProductImageChangeKind.Added, 1,
            "/api/media/images/900001?v=1&w=320&h=320&fit=cover&gravity=centre&q=auto&format=auto&sig=abc", "k0oGLQaSVsN0BVhn2oq2Z5SQUQcZ", 800, 600, -1, "A kikoi", DateTimeOffset.UtcNow);

        await PublishAsync(image);
        await PublishAsync(image); // a redelivery changes nothing

        using var client = fixture.Factory.CreateClient();
        var product = await Eventually.SucceedsAsync(
            () => client.GetFromJsonAsync<ProductDetail>($"/api/catalog/products/{productId}"),
            p => p!.Images.Any(i => i.Placeholder == image.Placeholder),
            TimeSpan.FromSeconds(60),
            "the product answer carries the announced image");
        var shown = product!.Images.Single(i => i.Placeholder == image.Placeholder);
        Assert.Equal(image.CardUrl, shown.Url);
        Assert.Equal((800, 600), (shown.Width, shown.Height));
        Assert.Equal(outboxBefore + 1, await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE aggregate_id = $1", productId));

        var page = await client.GetFromJsonAsync<ProductPage>("/api/catalog/products?business=1&pageSize=100");
        var card = page!.Items.Single(c => c.Id == productId);
        // The card shows the product's first image (the fixture's own one sorts first at position 0).
        Assert.Equal(product.Images[0].Url, card.Image?.Url);
    }

    [Fact]
    public async Task DeletedImageLeavesTheProduct()
    {
        const long productId = 13;
        var added = new ProductImageChanged(900002, productId, CatalogFixture.BusinessA, ProductImageChangeKind.Added, 1, "/api/media/images/900002?sig=x", "AAAA", 10, 10, 3, "", DateTimeOffset.UtcNow);
        await PublishAsync(added);
        await Eventually.TrueAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM product_images WHERE media_image_id = 900002") == 1, TimeSpan.FromSeconds(60), "the image is recorded");

        await PublishAsync(added with { Kind = ProductImageChangeKind.Deleted });

        await Eventually.TrueAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM product_images WHERE media_image_id = 900002") == 0, TimeSpan.FromSeconds(60), "the image row is gone");
    }

    private async Task PublishAsync(ProductImageChanged change)
    {
        using var scope = fixture.Factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(change);
    }
}
