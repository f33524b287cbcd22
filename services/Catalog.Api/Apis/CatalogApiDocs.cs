using System.Text.Json.Nodes;
using Catalog.Api.Model;
using Catalog.Api.Orders;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Catalog.Api.Apis;

/// <summary>
/// What catalog's OpenAPI document says beyond the handlers' signatures: the Idempotency-Key an order needs,
/// and examples of one seller's Kiondo basket throughout, built from the real records so each example has the
/// wire shape of its schema (the document test validates them).
/// </summary>
internal static class CatalogApiDocs
{
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private const string ThumbHash = "1QcSHQRnh493V4dIh4eXh1h4kJUI";
    private const string CardUrl = "/api/media/images/7?v=1&w=320&h=320&sig=c2lnbmVkLWJ5LW1lZGlh";

    private static readonly ProductCard Card = new(42, 3, 5, "Kiondo basket", "kiondo-basket", 2400.00m, ProductStatus.Active, Featured: true, Created, InStock: true)
    {
        Image = new CardImage(CardUrl, ThumbHash),
    };

    private static readonly ProductDetail Detail = new(
        42, 3, 5, "Kiondo basket", "kiondo-basket", "Hand-woven sisal basket with leather handles, 30 cm across.",
        2400.00m, "KES", 12, ProductStatus.Active, Featured: true, Version: 4, Created, Created.AddDays(3),
        [new ProductImage(7, "/api/media/images/7?v=1&w=1024&h=1024&sig=c2lnbmVkLWJ5LW1lZGlh", 0, 1600, 1200, "The basket from the front") { Placeholder = ThumbHash }]);

    private static readonly Order PlacedOrder = new(1001, 3, OrderStatus.Pending, 4800.00m, "KES", Created.AddDays(5), [new OrderLine(1, 42, 2, 2400.00m)]);

    public static void Add(OpenApiOptions options)
    {
        options.AddExample(Detail);
        options.AddExample(Detail.Images[0]);
        options.AddExample(Card);
        options.AddExample(Card.Image!);
        options.AddExample(new ProductPage([Card], NextCursor: "eyJzIjoibmV3ZXN0IiwiaSI6NDJ9.q8Zt0c1kRk3yYw"));
        options.AddExample(new TrendingProduct(Card, Score: 37));
        options.AddExample(new CategoryCount(5, "Home and living", "home-and-living", 214));
        options.AddExample(new ProductInput("Kiondo basket", "kiondo-basket", "Hand-woven sisal basket with leather handles, 30 cm across.", 2400.00m, 12, ProductStatus.Active, Featured: null, CategoryId: 5));
        options.AddExample(new FeaturedInput(true));
        options.AddExample(new OrderInput("Wanjiru Kamau", "+254712345678", "Nairobi", [new OrderLineInput(42, 2)]));
        options.AddExample(new OrderLineInput(42, 2));
        options.AddExample(PlacedOrder);
        options.AddExample(PlacedOrder.Lines[0]);
        options.AddExample(new OrderPage([PlacedOrder], NextCursor: null));
        options.AddOperationTransformer((operation, _, _) =>
        {
            // Bound as optional so that its absence is a 400 naming it, but no order is placed without it.
            if (operation.OperationId == "PlaceOrder"
                && operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == OrdersApi.IdempotencyHeader) is { } key)
            {
                key.Required = true;
                key.Description = "A fresh UUID per order (1 to 100 visible ASCII characters), kept for the order's retries.";
                key.Example = JsonValue.Create("3f2b8c1e-9d4a-4c7b-8e2f-5a6b7c8d9e0f");
            }

            return Task.CompletedTask;
        });
    }
}
