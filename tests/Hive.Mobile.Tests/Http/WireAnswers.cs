namespace Hive.Mobile.Tests.Http;

/// <summary>JSON bodies the loopback servers answer with, shaped as the fleet's services write them.</summary>
internal static class WireAnswers
{
    /// <summary>A product (GET /api/catalog/products/{id}); its version follows its price, so a new price is a new version.</summary>
    public static string Product(long id, int price = 10)
        => $$"""{"id":{{id}},"businessId":1,"categoryId":1,"name":"Kiondo","slug":"kiondo","description":"d","price":{{price}},"currency":"KES","stock":1,"status":"active","featured":false,"version":{{price}},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","images":[]}""";
}
