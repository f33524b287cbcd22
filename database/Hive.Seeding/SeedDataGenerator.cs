using System.Globalization;
using System.Text;
using static Hive.Seeding.KenyanMarketplace;

namespace Hive.Seeding;

/// <summary>
/// Generates the rows of every seeded table from a seed number alone. Each table draws from its own
/// <see cref="Random"/> (seeded from the seed number and the table), so enumerating tables in any order,
/// or twice, gives the same rows. Ids start at 1; timestamps grow with ids, like real append-mostly data.
/// </summary>
public sealed class SeedDataGenerator
{
    private static readonly TimeSpan EventWindow = TimeSpan.FromDays(90);
    private static readonly TimeSpan ProductWindow = TimeSpan.FromDays(365);

    private readonly int _seed;
    private readonly DateTime _anchor;
    private readonly Lazy<BusinessRow[]> _businesses;
    private readonly Lazy<Catalog> _catalog;
    private readonly Lazy<OrderRow[]> _orders;

    public SeedDataGenerator(SeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Size.Businesses < 1 || options.Size.Products < 1)
        {
            throw new ArgumentException("A seed needs at least one business and one product.", nameof(options));
        }

        Size = options.Size;
        _seed = options.Seed;
        _anchor = DateTime.SpecifyKind(options.Anchor, DateTimeKind.Utc);
        _businesses = new(GenerateBusinesses);
        _catalog = new(GenerateCatalog);
        _orders = new(GenerateOrders);
    }

    public SeedSize Size { get; }

    public IReadOnlyList<BusinessRow> Businesses => _businesses.Value;

    public IReadOnlyList<ProductRow> Products => _catalog.Value.Products;

    public IReadOnlyList<OrderRow> Orders => _orders.Value;

    public long ProductImageCount => _catalog.Value.ImageCount;

    public long OrderLineCount => Orders.Sum(o => (long)o.Lines.Count);

    public int OutboxMessageCount => Math.Max(50, Size.Products / 20);

    public IEnumerable<ProductImageRow> ProductImages()
    {
        var random = RandomFor(3);
        var catalog = _catalog.Value;
        long id = 0;
        foreach (var product in catalog.Products)
        {
            var count = catalog.ImageCounts[product.Id - 1];
            for (short position = 0; position < count; position++)
            {
                id++;
                var size = ImageSizes[random.Next(ImageSizes.Length)];
                var x = size.IndexOf('x', StringComparison.Ordinal);
                var width = int.Parse(size.AsSpan(0, x), CultureInfo.InvariantCulture);
                var height = int.Parse(size.AsSpan(x + 1), CultureInfo.InvariantCulture);
                yield return new ProductImageRow(
                    id,
                    product.Id,
                    // Media's named variant of the image (media_images shares the id): a real rendering.
                    $"/api/media/images/{id}/small",
                    position,
                    width,
                    height,
                    position == 0 ? product.Name : $"{product.Name} ({position + 1})",
                    product.CreatedAt.AddMinutes(position),
                    DemoImages.Placeholder((int)(id % DemoImages.Designs), width, height).ThumbHash);
            }
        }
    }

    public IEnumerable<AnalyticsEventRow> AnalyticsEvents()
    {
        var random = RandomFor(5);
        var products = Products;
        var total = Size.AnalyticsEvents;
        var start = _anchor - EventWindow;
        var sessions = Math.Max(16, total / 8);
        for (var i = 0; i < total; i++)
        {
            // Arrival order with a little jitter: created_at follows id closely, which is what BRIN needs.
            var at = start + (EventWindow * ((i + random.NextDouble()) / total));
            var session = "s-" + random.Next(sessions).ToString("x6", CultureInfo.InvariantCulture);
            var roll = random.Next(100);
            if (roll < 15)
            {
                var query = SearchQueries[Skewed(random, SearchQueries.Length)];
                yield return new AnalyticsEventRow(i + 1, "search", null, null, null, session, query, at);
                continue;
            }

            var type = roll switch
            {
                < 72 => "view",
                < 87 => "click",
                < 96 => "add_to_cart",
                _ => "purchase",
            };
            var product = products[PopularProductIndex(random, products.Count)];
            yield return new AnalyticsEventRow(i + 1, type, product.Id, product.BusinessId, product.CategoryId, session, null, at);
        }
    }

    public IEnumerable<OutboxMessageRow> OutboxMessages()
    {
        var random = RandomFor(6);
        var products = Products;
        var total = OutboxMessageCount;
        var window = TimeSpan.FromDays(30);
        var start = _anchor - window;
        // The dispatcher keeps up: only the newest handful is still waiting to be published.
        var unpublishedFrom = total - Math.Max(5, total / 200);
        for (var i = 0; i < total; i++)
        {
            var product = products[random.Next(products.Count)];
            var at = start + (window * ((i + random.NextDouble()) / total));
            var kind = random.Next(10) switch
            {
                0 => "Created",
                1 => "Deleted",
                _ => "Updated",
            };
            var payload = string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"productId":{{product.Id}},"businessId":{{product.BusinessId}},"categoryId":{{product.CategoryId}},"slug":"{{product.Slug}}","kind":"{{kind}}","version":{{product.Version}},"occurredAt":"{{at:O}}"}""");
            var published = i < unpublishedFrom;
            var attempts = published ? 1 : random.Next(4);
            yield return new OutboxMessageRow(
                i + 1,
                "ProductChanged",
                product.Id,
                payload,
                at,
                published ? at.AddMilliseconds(50 + random.Next(2_000)) : null,
                attempts,
                attempts > 0 && !published ? "Broker unreachable" : null);
        }
    }

    private BusinessRow[] GenerateBusinesses()
    {
        var random = RandomFor(1);
        var count = Size.Businesses;
        var rows = new BusinessRow[count];
        // Every business exists before the oldest product.
        var end = _anchor - ProductWindow;
        var start = end - TimeSpan.FromDays(3 * 365);
        for (var i = 0; i < count; i++)
        {
            var id = i + 1L;
            var category = PrimaryCategory(id);
            var name = BusinessName(random, category);
            rows[i] = new BusinessRow(
                id,
                name,
                Slug(name, id),
                County(random),
                Phone(random),
                random.Next(100) < 40,
                start + ((end - start) * ((i + random.NextDouble()) / count)));
        }

        return rows;
    }

    private Catalog GenerateCatalog()
    {
        var random = RandomFor(2);
        var businesses = Businesses;
        var count = Size.Products;
        var rows = new ProductRow[count];
        var imageCounts = new byte[count];
        long images = 0;
        var start = _anchor - ProductWindow;
        for (var i = 0; i < count; i++)
        {
            var id = i + 1L;
            // A few big sellers and a long tail of small ones.
            var business = businesses[Skewed(random, businesses.Count)];
            var category = random.Next(100) < 70 ? PrimaryCategory(business.Id) : WeightedCategory(random);
            var item = category.Items[random.Next(category.Items.Length)];
            var name = random.Next(100) < 75 ? $"{item.Name} {category.Variants[random.Next(category.Variants.Length)]}" : item.Name;
            var status = random.Next(100) switch
            {
                < 85 => "active",
                < 90 => "draft",
                < 96 => "out_of_stock",
                _ => "archived",
            };
            var createdAt = start + (ProductWindow * ((i + random.NextDouble()) / count));
            var updatedAt = createdAt + TimeSpan.FromHours(random.NextDouble() * (_anchor - createdAt).TotalHours);
            rows[i] = new ProductRow(
                id,
                business.Id,
                category.Id,
                name,
                Slug(name, id),
                $"{name} from {business.Name}, {business.County}. Delivery countrywide; pay with M-Pesa on delivery.",
                Price(random, item),
                status == "out_of_stock" ? 0 : random.Next(1, 200),
                status,
                random.Next(1000) < 30,
                1 + random.Next(5),
                createdAt,
                updatedAt);
            imageCounts[i] = (byte)(1 + random.Next(4));
            images += imageCounts[i];
        }

        return new Catalog(rows, imageCounts, images);
    }

    /// <summary>The token subject of the demo buyer who placed a seeded order: one of 200 recurring buyers.</summary>
    public static string SeedBuyer(long orderId) => $"seed-buyer-{1 + (orderId * 7919 % 200)}";

    private OrderRow[] GenerateOrders()
    {
        var random = RandomFor(4);
        var products = Products;
        var byBusiness = products.GroupBy(p => p.BusinessId).ToDictionary(g => g.Key, g => g.ToArray());
        var count = Size.Orders;
        var rows = new OrderRow[count];
        var start = _anchor - EventWindow;
        for (var i = 0; i < count; i++)
        {
            var id = i + 1L;
            // Popular products pull their sellers' orders; the basket stays within one seller.
            var first = products[PopularProductIndex(random, products.Count)];
            var shelf = byBusiness[first.BusinessId];
            var lineCount = Math.Min(shelf.Length, 1 + Skewed(random, 4));
            var lines = new OrderLineRow[lineCount];
            decimal total = 0;
            for (var n = 0; n < lineCount; n++)
            {
                var product = n == 0 ? first : shelf[random.Next(shelf.Length)];
                var quantity = product.Price < 500 ? 1 + random.Next(6) : 1 + Skewed(random, 3);
                lines[n] = new OrderLineRow(id, (short)(n + 1), product.Id, quantity, product.Price);
                total += product.Price * quantity;
            }

            var createdAt = start + (EventWindow * ((i + random.NextDouble()) / count));
            var status = OrderStatus(random, _anchor - createdAt);
            var hasKey = random.Next(100) < 60;
            rows[i] = new OrderRow(
                id,
                first.BusinessId,
                $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}",
                Phone(random),
                County(random),
                status,
                total,
                hasKey ? Hex(random, 16) : null,
                hasKey ? Hex(random, 32) : null,
                createdAt,
                status == "pending" ? createdAt : Min(createdAt + TimeSpan.FromHours(1 + random.Next(72)), _anchor),
                lines,
                // Derived from the id, not drawn, so the rest of the generated data stays as it was.
                SeedBuyer(id));
        }

        return rows;
    }

    private static string OrderStatus(Random random, TimeSpan age)
    {
        var roll = random.Next(1000);
        if (age < TimeSpan.FromDays(2))
        {
            return roll switch { < 500 => "pending", < 800 => "paid", < 950 => "shipped", _ => "cancelled" };
        }

        if (age < TimeSpan.FromDays(7))
        {
            return roll switch { < 100 => "pending", < 300 => "paid", < 700 => "shipped", < 950 => "delivered", _ => "cancelled" };
        }

        return roll switch { < 15 => "pending", < 40 => "shipped", < 920 => "delivered", _ => "cancelled" };
    }

    // Not HashCode.Combine: that is salted per process and would break same seed, same data.
    private Random RandomFor(int table) => new(unchecked((_seed * 1_000_003) + (table * 7_919)));

    /// <summary>Index in [0, n) favouring small numbers: the top entries get most of the picks.</summary>
    private static int Skewed(Random random, int n)
    {
        var r = random.NextDouble();
        return Math.Min(n - 1, (int)(n * r * r));
    }

    /// <summary>Skewed, then scattered so popular products are spread over the catalogue's age.</summary>
    private static int PopularProductIndex(Random random, int count) => (int)((Skewed(random, count) * 7_919L + 13) % count);

    private static Category PrimaryCategory(long businessId) => Categories[(int)((businessId * 7 + 3) % Categories.Length)];

    private static Category WeightedCategory(Random random)
    {
        var pick = random.Next(TotalCategoryWeight);
        foreach (var category in Categories)
        {
            if ((pick -= category.Weight) < 0)
            {
                return category;
            }
        }

        return Categories[^1];
    }

    private static string BusinessName(Random random, Category category)
    {
        var trade = category.Trades[random.Next(category.Trades.Length)];
        return random.Next(10) switch
        {
            0 or 1 or 2 => $"{FirstNames[random.Next(FirstNames.Length)]} {trade}",
            3 or 4 => $"{LastNames[random.Next(LastNames.Length)]} {trade}",
            5 => $"Mama {FirstNames[random.Next(FirstNames.Length)]} {trade}",
            6 or 7 => $"{Places[random.Next(Places.Length)]} {trade}",
            8 => category.Id == 6 ? "Mama Mboga Fresh" : $"{LastNames[random.Next(LastNames.Length)]} & Sons {trade}",
            _ => $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]} Enterprises",
        };
    }

    private static string County(Random random)
        => random.Next(100) < 55 ? Counties[Skewed(random, 8)] : Counties[random.Next(Counties.Length)];

    /// <summary>Safaricom/Airtel style mobile numbers in E.164: +2547 and eight digits.</summary>
    private static string Phone(Random random) => "+2547" + random.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    private static decimal Price(Random random, Item item)
    {
        var raw = item.MinPrice + (random.NextDouble() * (item.MaxPrice - item.MinPrice));
        var step = raw switch { < 100 => 5, < 1_000 => 10, _ => 50 };
        var price = Math.Round(raw / step) * step;
        // Shops like prices just under a round number.
        if (price >= 1_000 && random.Next(10) < 3)
        {
            price -= 1;
        }

        return (decimal)price;
    }

    private static string Hex(Random random, int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>Lower-case words joined by single hyphens, then the id, so slugs are unique and match the CHECK.</summary>
    internal static string Slug(string name, long id)
    {
        var builder = new StringBuilder(name.Length + 12);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        if (builder.Length > 0 && builder[^1] != '-')
        {
            builder.Append('-');
        }

        return builder.Append(id.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    private sealed record Catalog(ProductRow[] Products, byte[] ImageCounts, long ImageCount);
}
