using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Search.Api.Tests;

/// <summary>
/// A small Kenyan marketplace, seed-like but fixed: about 300 active products from 15 sellers, with
/// English and Swahili names, accents, shared names across sellers, and products that mention
/// another product only in their description (so ranking has something to decide).
/// </summary>
public static class MarketplaceData
{
    // Category ids come from database/migrations/0002_categories.sql.
    public const int Phones = 1;
    public const int Electronics = 2;
    public const int Fashion = 3;
    public const int HomeKitchen = 4;
    public const int Groceries = 6;
    public const int Agriculture = 7;
    public const int Crafts = 12;

    public static readonly (string Name, string County)[] Businesses =
    [
        ("Nairobi Phone Hub", "Nairobi"), ("Mama Njeri Crafts", "Kiambu"), ("Kisumu Fresh Mart", "Kisumu"),
        ("Mombasa Kikoi House", "Mombasa"), ("Eldoret Agrovet", "Uasin Gishu"), ("Nakuru Electronics", "Nakuru"),
        ("Machakos Mitumba", "Machakos"), ("Nyeri Home Store", "Nyeri"), ("Kilifi Beach Wear", "Kilifi"),
        ("Thika Road Gadgets", "Kiambu"), ("Kakamega Shamba Supplies", "Kakamega"), ("Meru Greens", "Meru"),
        ("Garissa General Store", "Garissa"), ("Kitui Baskets", "Kitui"), ("Naivasha Kitchenware", "Nakuru"),
    ];

    /// <summary>Products every seller may list (each appears several times, from different sellers).</summary>
    public static readonly (int Category, string Name, string Description, decimal Price)[] Catalogue =
    [
        (Phones, "Samsung Galaxy A14", "Dual SIM smartphone, 64GB storage, 5000mAh battery, one year warranty.", 18_999m),
        (Phones, "Samsung Galaxy A54 5G", "Smartphone with 128GB storage and a 50MP camera.", 44_500m),
        (Phones, "Tecno Spark 10", "Affordable smartphone with a big battery and 128GB storage.", 14_200m),
        (Phones, "Tecno Camon 20", "Camera phone with 256GB storage.", 24_000m),
        (Phones, "Infinix Hot 30", "Gaming smartphone with fast charging.", 16_500m),
        (Phones, "Nokia 105", "Feature phone with FM radio and a torch.", 2_300m),
        (Phones, "Oppo A17", "Smartphone with side fingerprint sensor.", 15_800m),
        (Phones, "iPhone 13", "Apple smartphone, 128GB, ex-UK.", 72_000m),
        (Phones, "Silicone Phone Case", "Soft case that fits the Samsung Galaxy A14 and Galaxy A54.", 450m),
        (Phones, "Fast Charger 25W", "USB-C charger for Samsung, Tecno and Infinix phones.", 1_200m),
        (Electronics, "Smart TV 43 inch", "Full HD Android television with Netflix and YouTube.", 32_000m),
        (Electronics, "Solar Lamp", "Rechargeable solar lantern for homes without power.", 1_500m),
        (Electronics, "Bluetooth Speaker", "Portable speaker with 12 hours of playtime.", 3_200m),
        (Electronics, "Radio FM Kichwa", "Battery radio for news and music.", 1_100m),
        (Fashion, "Kikoi Shirt", "Cotton shirt cut from a striped kikoi.", 1_800m),
        (Fashion, "Kikoí Beach Wrap", "Light wrap for the beach, woven on the coast.", 1_300m),
        (Fashion, "Kitenge Dress", "Tailored dress in bright kitenge print.", 3_500m),
        (Fashion, "Maasai Sandals", "Leather sandals with beadwork, made in Kajiado.", 1_500m),
        (Fashion, "Kiondo Handbag", "Leather-trimmed handbag woven from sisal.", 2_800m),
        (HomeKitchen, "Jiko Kisasa Charcoal Stove", "Energy saving charcoal jiko for the kitchen.", 2_400m),
        (HomeKitchen, "Sufuria Set", "Five aluminium cooking pots with lids.", 3_900m),
        (HomeKitchen, "Thermos Flask", "Keeps chai hot all day.", 950m),
        (HomeKitchen, "Mkeka Floor Mat", "Hand-woven palm mat.", 1_200m),
        (Groceries, "Sukuma Wiki", "Fresh kale, one bunch, harvested this morning.", 30m),
        (Groceries, "Unga wa Ngano", "Wheat flour, 2kg.", 210m),
        (Groceries, "Mchele Pishori", "Aromatic Mwea pishori rice, 2kg.", 420m),
        (Groceries, "Chai Majani", "Kenyan black tea leaves, 500g.", 250m),
        (Groceries, "Sukari ya Kahawia", "Brown sugar, 1kg.", 180m),
        (Agriculture, "Mbegu za Mahindi", "Hybrid maize seed for the long rains, 2kg.", 650m),
        (Agriculture, "Jembe", "Forged steel hoe with a wooden handle.", 550m),
        (Agriculture, "Knapsack Sprayer", "16 litre sprayer for the shamba.", 3_800m),
        (Crafts, "Kiondo Basket", "Traditional sisal kiondo woven in Kitui.", 1_600m),
        (Crafts, "Kikoi", "Hand-loomed cotton kikoi from the coast.", 1_200m),
        (Crafts, "Soapstone Carving", "Kisii soapstone elephant, hand carved.", 900m),
        (Crafts, "Maasai Shuka", "Red checked shuka blanket.", 1_000m),
        (Crafts, "Beaded Necklace", "Maasai beadwork necklace in many colours.", 700m),
    ];

    /// <summary>How many sellers list each catalogue product.</summary>
    public const int SellersPerProduct = 8;

    public static int ProductCount => Catalogue.Length * SellersPerProduct;

    public static async Task InsertAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var businessIds = new List<long>();
        foreach (var (name, county) in Businesses)
        {
            businessIds.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO businesses (name, slug, county, verified) VALUES (@name, @slug, @county, true) RETURNING id",
                new { name, slug = Slug(name), county },
                transaction));
        }

        var created = new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc);
        var sequence = 0;
        for (var i = 0; i < Catalogue.Length; i++)
        {
            var (category, name, description, price) = Catalogue[i];
            for (var seller = 0; seller < SellersPerProduct; seller++)
            {
                sequence++;
                var businessId = businessIds[(i * 7 + seller * 3) % businessIds.Count];
                await connection.ExecuteAsync(
                    """
                    INSERT INTO products (business_id, category_id, name, slug, description, price, stock, status, featured, created_at, updated_at)
                    VALUES (@businessId, @category, @name, @slug, @description, @price, 10, 'active', @featured, @created, @created)
                    """,
                    new
                    {
                        businessId,
                        category,
                        name,
                        slug = $"{Slug(name)}-{sequence.ToString(CultureInfo.InvariantCulture)}",
                        description,
                        // Sellers price the same product differently, and some share a price (ties for keyset).
                        price = price + (seller % 4) * Math.Max(1m, decimal.Round(price / 20m)),
                        featured = seller == 0,
                        created = created.AddMinutes(sequence * 37 % 500),
                    },
                    transaction);
            }
        }

        await transaction.CommitAsync();
    }

    public static string Slug(string name)
    {
        var folded = name.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder();
        foreach (var c in folded.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (c is ' ' or '-' && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().Trim('-');
    }
}
