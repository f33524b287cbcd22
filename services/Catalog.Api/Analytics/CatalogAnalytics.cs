using Catalog.Api.Model;
using Catalog.Api.Orders;
using Hive.Contracts;
using Hive.Messaging.Analytics;

namespace Catalog.Api.Analytics;

/// <summary>Catalog's analytics: a product viewed, an order placed. Recording never blocks a request.</summary>
public sealed class CatalogAnalytics(AnalyticsRecorder recorder, TimeProvider clock)
{
    public void Viewed(HttpContext context, ProductDetail product)
        => recorder.Record(new AnalyticsEvent(
            AnalyticsEventType.View, product.Id, product.BusinessId, product.CategoryId, AnalyticsClient.Of(context), null, 1, clock.GetUtcNow()));

    public void Purchased(HttpContext context, Order order)
    {
        var client = AnalyticsClient.Of(context);
        var now = clock.GetUtcNow();
        foreach (var line in order.Lines)
        {
            recorder.Record(new AnalyticsEvent(AnalyticsEventType.Purchase, line.ProductId, order.BusinessId, null, client, null, line.Quantity, now));
        }
    }
}
