using System.Text.RegularExpressions;
using Hive.Seeding;

namespace Hive.Database.Tests;

public sealed partial class SeedDataGeneratorTests
{
    private static readonly SeedSize Tiny = new("tiny", 30, 1_000, 300, 5_000);
    private static readonly DateTime Anchor = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void SameSeedGivesTheSameRows()
    {
        var first = Generate(7);
        var second = Generate(7);

        Assert.Equal(first.Businesses, second.Businesses);
        Assert.Equal(first.Products, second.Products);
        Assert.Equal(first.ProductImages(), second.ProductImages());
        Assert.Equal(first.Orders.Select(Flatten), second.Orders.Select(Flatten));
        Assert.Equal(first.AnalyticsEvents(), second.AnalyticsEvents());
        Assert.Equal(first.OutboxMessages(), second.OutboxMessages());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentRows()
    {
        var first = Generate(7);
        var second = Generate(8);

        Assert.NotEqual(first.Products.Select(p => p.Name), second.Products.Select(p => p.Name));
        Assert.NotEqual(first.Businesses.Select(b => b.Name), second.Businesses.Select(b => b.Name));
    }

    [Fact]
    public void SlugsAreUniqueAndPassTheDatabaseCheck()
    {
        var data = Generate(1);

        Assert.All(data.Products, p => Assert.Matches(SlugPattern(), p.Slug));
        Assert.All(data.Businesses, b => Assert.Matches(SlugPattern(), b.Slug));
        Assert.Equal(data.Products.Count, data.Products.Select(p => p.Slug).Distinct().Count());
        Assert.Equal(data.Businesses.Count, data.Businesses.Select(b => b.Slug).Distinct().Count());
    }

    [Fact]
    public void PhonesAreKenyanMobileNumbersAndCountiesAreTheFortySeven()
    {
        var data = Generate(1);

        Assert.All(data.Businesses.Select(b => b.Phone).Concat(data.Orders.Select(o => o.CustomerPhone)), phone => Assert.Matches(PhonePattern(), phone));
        Assert.Equal(47, KenyanMarketplace.Counties.Distinct().Count());
        Assert.All(data.Orders, o => Assert.Contains(o.DeliveryCounty, KenyanMarketplace.Counties));
    }

    [Fact]
    public void StatusesFeaturedAndPricesHaveMarketplaceProportions()
    {
        var products = new SeedDataGenerator(new SeedOptions(SeedSize.Small, 3) { Anchor = Anchor }).Products;

        var active = products.Count(p => p.Status == "active") / (double)products.Count;
        var featured = products.Count(p => p.Featured) / (double)products.Count;
        Assert.InRange(active, 0.82, 0.88);
        Assert.InRange(featured, 0.02, 0.04);
        Assert.All(products, p => Assert.InRange(p.Price, 5m, 100_000m));
        Assert.Contains(products, p => p.Name.StartsWith("Sukuma Wiki", StringComparison.Ordinal));
        Assert.Contains(products, p => p.Name.StartsWith("Samsung Galaxy A14", StringComparison.Ordinal));
        Assert.True(
            products.Where(p => p.CategoryId == 1).Average(p => p.Price) > 10 * products.Where(p => p.CategoryId == 6).Average(p => p.Price),
            "phones should cost far more than groceries");
    }

    [Fact]
    public void EventsSpanNinetyDaysAndGrowWithTheirIds()
    {
        var events = Generate(1).AnalyticsEvents().ToList();

        Assert.InRange(events[0].CreatedAt, Anchor.AddDays(-90), Anchor.AddDays(-89));
        Assert.InRange(events[^1].CreatedAt, Anchor.AddDays(-1), Anchor);
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.Second.CreatedAt >= pair.First.CreatedAt.AddHours(-1)));
        Assert.Equal(["add_to_cart", "click", "purchase", "search", "view"], events.Select(e => e.EventType).Distinct().Order());
    }

    [Fact]
    public void OrdersHaveLinesTotalsAndSomePending()
    {
        var data = Generate(1);
        var products = data.Products.ToDictionary(p => p.Id);

        Assert.All(data.Orders, order =>
        {
            Assert.NotEmpty(order.Lines);
            Assert.Equal(order.Lines.Sum(l => l.UnitPrice * l.Quantity), order.Total);
            Assert.All(order.Lines, line => Assert.Equal(order.BusinessId, products[line.ProductId].BusinessId));
        });
        Assert.Contains(data.Orders, o => o.Status == "pending");
        Assert.Contains(data.Orders, o => o.Status == "delivered");
    }

    private static SeedDataGenerator Generate(int seed) => new(new SeedOptions(Tiny, seed) { Anchor = Anchor });

    private static string Flatten(OrderRow order) => $"{order with { Lines = [] }}|{string.Join(';', order.Lines)}";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^\+2547\d{8}$")]
    private static partial Regex PhonePattern();
}
