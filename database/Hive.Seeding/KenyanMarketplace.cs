namespace Hive.Seeding;

/// <summary>The vocabulary generated rows are drawn from: places, people, trades and goods of a Kenyan marketplace.</summary>
internal static class KenyanMarketplace
{
    /// <summary>All 47 counties; the first ones are weighted up because most sellers are in the big towns.</summary>
    public static readonly string[] Counties =
    [
        "Nairobi", "Mombasa", "Kiambu", "Nakuru", "Kisumu", "Uasin Gishu", "Machakos", "Kajiado",
        "Kwale", "Kilifi", "Tana River", "Lamu", "Taita-Taveta", "Garissa", "Wajir", "Mandera",
        "Marsabit", "Isiolo", "Meru", "Tharaka-Nithi", "Embu", "Kitui", "Makueni", "Nyandarua",
        "Nyeri", "Kirinyaga", "Murang'a", "Turkana", "West Pokot", "Samburu", "Trans Nzoia",
        "Elgeyo-Marakwet", "Nandi", "Baringo", "Laikipia", "Narok", "Kericho", "Bomet", "Kakamega",
        "Vihiga", "Bungoma", "Busia", "Siaya", "Homa Bay", "Migori", "Kisii", "Nyamira",
    ];

    public static readonly string[] FirstNames =
    [
        "Wanjiku", "Achieng", "Otieno", "Kamau", "Njeri", "Mwangi", "Wambui", "Odhiambo", "Akinyi", "Kipchoge",
        "Chebet", "Kiprop", "Wairimu", "Nyambura", "Mutua", "Mwende", "Kioko", "Auma", "Onyango", "Wekesa",
        "Nafula", "Barasa", "Fatuma", "Hassan", "Amina", "Omondi", "Jeptoo", "Kibet", "Muthoni", "Njoroge",
        "Atieno", "Halima", "Juma", "Baraka", "Faith", "Grace", "Brian", "Kevin", "Mercy", "Joy",
        "Dennis", "Purity", "Collins", "Esther", "Peter", "Mary", "John", "Ann", "James", "Zawadi",
    ];

    public static readonly string[] LastNames =
    [
        "Kamau", "Otieno", "Mwangi", "Ochieng", "Kariuki", "Njoroge", "Wafula", "Kiprotich", "Mutiso", "Omondi",
        "Wanjala", "Chege", "Githinji", "Kimani", "Odera", "Korir", "Langat", "Mohamed", "Ali", "Nyaga",
        "Maina", "Waweru", "Owino", "Kiplagat", "Muriuki", "Macharia", "Ndungu", "Okoth", "Rotich", "Cheruiyot",
    ];

    public static readonly string[] Places =
    [
        "Gikomba", "Toi", "Kariakor", "Eastleigh", "Westlands", "Kilimani", "Githurai", "Kawangware", "Ngara",
        "Nyali", "Likoni", "Kondele", "Kibuye", "Naivasha", "Thika", "Ruiru", "Eldoret", "Kitengela", "Rongai", "Juja",
    ];

    public static readonly string[] SearchQueries =
    [
        "samsung galaxy", "tecno spark", "infinix hot", "kikoi", "kiondo", "unga wa ngano", "sukuma wiki", "sufuria",
        "gas cylinder", "maize seeds", "dairy meal", "school bag", "helmet", "kitenge", "smart tv", "solar",
        "mattress", "diapers", "shea butter", "jersey", "samsng", "infinx", "maasai shuka", "power bank",
    ];

    public static readonly string[] ImageSizes = ["800x800", "1200x900", "1080x1350", "1600x1200", "640x640"];

    /// <summary>The 12 categories of migration 0002, in id order, with how common their products are.</summary>
    public static readonly Category[] Categories =
    [
        new(1, 14, ["Mobile Hub", "Phones & Accessories", "Smart Gadgets", "Simu Centre"],
        [
            new("Samsung Galaxy A14", 16_000, 22_000), new("Samsung Galaxy A05s", 13_000, 17_000),
            new("Samsung Galaxy A54", 45_000, 55_000), new("Samsung Galaxy Tab A9", 20_000, 28_000),
            new("Tecno Spark 10", 12_000, 15_000), new("Tecno Spark 20 Pro", 20_000, 25_000),
            new("Tecno Camon 20", 22_000, 28_000), new("Infinix Hot 30", 14_000, 18_000),
            new("Infinix Smart 8", 9_000, 12_000), new("Infinix Note 30", 22_000, 27_000),
            new("Itel A70", 8_000, 10_000), new("Nokia C32", 11_000, 14_000), new("Xiaomi Redmi 13C", 14_000, 18_000),
            new("Oppo A18", 15_000, 19_000), new("iPhone 12 Refurbished", 45_000, 60_000),
            new("Oraimo Power Bank 20000mAh", 2_000, 3_500), new("Oraimo FreePods", 2_500, 4_000),
            new("Phone Cover", 300, 900), new("Tempered Glass Screen Protector", 200, 600), new("Fast Charger", 800, 2_000),
        ],
        ["64GB Black", "128GB Blue", "128GB Green", "64GB Silver", "256GB Gold", "Dual SIM", "4GB RAM", "Purple"]),
        new(2, 10, ["Electronics", "Electricals", "Digital World", "Tech Store"],
        [
            new("Hisense 32 inch Smart TV", 15_000, 22_000), new("TCL 43 inch Android TV", 28_000, 38_000),
            new("Vitron 24 inch LED TV", 9_000, 13_000), new("Sayona Subwoofer", 4_500, 9_000),
            new("Ramtons Microwave", 8_000, 13_000), new("Von Hotpoint Fridge", 25_000, 45_000),
            new("Bluetooth Speaker", 1_200, 6_000), new("Solar Panel 100W", 6_000, 9_500), new("Sun King Solar Lamp", 1_500, 4_000),
            new("Extension Cable", 350, 1_200), new("HP Laptop Refurbished", 25_000, 45_000),
            new("Lenovo ThinkPad Refurbished", 28_000, 48_000), new("Wireless Mouse", 500, 1_500),
            new("StarTimes Decoder", 1_500, 3_000), new("Electric Kettle", 1_200, 3_500),
        ],
        ["Black", "Silver", "with Warranty", "Ex-UK", "Brand New", "Energy Saving"]),
        new(3, 14, ["Fashions", "Boutique", "Mitumba Hub", "Designs"],
        [
            new("Kikoi", 600, 1_800), new("Kitenge Dress", 1_500, 4_500), new("Maasai Shuka", 700, 1_500),
            new("Ankara Shirt", 1_200, 3_500), new("Kiondo Handbag", 1_200, 3_800), new("Leso", 300, 800),
            new("Kanga", 350, 900), new("Mitumba Jeans", 400, 1_200), new("Official Shirt", 900, 2_500),
            new("Akala Sandals", 250, 700), new("Canvas Sneakers", 1_500, 4_000), new("Kofia", 300, 900),
            new("Dera Dress", 1_000, 2_800), new("Beaded Belt", 500, 1_500),
        ],
        ["Size M", "Size L", "Size XL", "Red", "Blue", "Yellow", "Green", "Assorted Colours", "Unisex"]),
        new(4, 10, ["Home Essentials", "Furniture", "Hardware & Home", "Kitchenware"],
        [
            new("Sufuria Set", 1_500, 4_500), new("Charcoal Jiko", 600, 1_800), new("Thermos Flask", 800, 2_200),
            new("Mwiko", 100, 300), new("Meko Gas Burner", 1_200, 2_500), new("13kg Gas Cylinder", 5_500, 8_500),
            new("Plastic Chair", 600, 1_200), new("Mattress 5x6", 5_500, 14_000), new("Duvet", 2_500, 6_500),
            new("Curtains", 1_800, 5_000), new("Chapati Pan", 600, 1_500), new("Kitchen Knife Set", 700, 2_000),
            new("Water Tank 1000L", 9_000, 14_000), new("Cooking Pot", 900, 3_000),
        ],
        ["Large", "Medium", "Stainless Steel", "Non-stick", "Family Size", "Set of 4", "Heavy Duty"]),
        new(5, 8, ["Beauty Parlour", "Cosmetics", "Chemist", "Salon & Spa"],
        [
            new("Shea Butter", 300, 900), new("Darling Hair Braids", 250, 800), new("Vaseline Petroleum Jelly", 150, 450),
            new("Nice & Lovely Lotion", 250, 600), new("Aloe Vera Gel", 400, 1_200), new("Beard Oil", 500, 1_500),
            new("Sanitary Pads", 90, 250), new("Sunscreen SPF 50", 900, 2_500), new("Human Hair Wig", 3_500, 15_000),
            new("Henna Cone", 100, 300), new("Black Soap", 200, 600),
        ],
        ["100ml", "250ml", "500ml", "Family Pack", "Natural", "Unscented"]),
        new(6, 14, ["Fresh Produce", "Mini Mart", "Grocers", "Duka"],
        [
            new("Sukuma Wiki Bunch", 20, 50), new("Unga wa Ngano 2kg", 150, 220), new("Unga wa Mahindi 2kg", 130, 200),
            new("Mchele Pishori 1kg", 180, 260), new("Sugar 1kg", 150, 200), new("Maziwa Mala 500ml", 60, 85),
            new("Nyanya 1kg", 80, 150), new("Vitunguu 1kg", 100, 160), new("Ndengu 1kg", 160, 240),
            new("Maharagwe 1kg", 150, 220), new("Chai Majani 500g", 200, 320), new("Cooking Oil 1L", 280, 400),
            new("Trei ya Mayai 30", 400, 550), new("Omena 1kg", 300, 600), new("Parachichi (Avocado)", 20, 60),
            new("Maembe (Mangoes)", 20, 80), new("Githeri Mix 1kg", 120, 200),
        ],
        ["Fresh", "Organic", "Farm Fresh", "Wholesale Pack", "Premium"]),
        new(7, 8, ["Agrovet", "Farm Supplies", "Seeds & Inputs", "Dairy Farm"],
        [
            new("DK 8031 Maize Seeds 2kg", 500, 800), new("Dairy Meal 70kg", 2_800, 3_600), new("Layers Mash 70kg", 3_200, 4_000),
            new("DAP Fertilizer 50kg", 3_500, 6_500), new("CAN Fertilizer 50kg", 3_000, 5_000),
            new("Knapsack Sprayer 16L", 2_500, 4_500), new("Jembe", 400, 900), new("Panga", 300, 700),
            new("Wheelbarrow", 4_500, 8_000), new("Kienyeji Chicks (10)", 1_000, 2_000), new("Dairy Goat", 12_000, 25_000),
            new("Water Pump", 12_000, 30_000), new("Drip Irrigation Kit", 6_000, 25_000),
        ],
        ["Certified", "1 Acre", "Quarter Acre", "Heavy Duty", "Original"]),
        new(8, 6, ["Baby Shop", "Kids Corner", "Toto Care"],
        [
            new("Pampers Diapers Size 3", 1_300, 2_200), new("Huggies Dry Diapers", 1_200, 2_000), new("Baby Carrier", 1_500, 4_000),
            new("School Uniform", 1_200, 3_000), new("School Bag", 800, 2_500), new("Baby Shawl", 500, 1_500),
            new("Building Blocks Toy", 700, 2_500), new("Feeding Bottle", 300, 1_000), new("Baby Cot", 6_000, 15_000),
        ],
        ["0-6 Months", "1-3 Years", "Blue", "Pink", "Pack of 2", "Unisex"]),
        new(9, 5, ["Sports Centre", "Outdoors", "Fitness Gear"],
        [
            new("Football Size 5", 800, 3_000), new("Harambee Stars Jersey", 1_200, 3_500), new("Gor Mahia Jersey", 1_000, 3_000),
            new("AFC Leopards Jersey", 1_000, 3_000), new("Running Shoes", 2_500, 8_000), new("Dumbbells 5kg Pair", 1_800, 3_500),
            new("Yoga Mat", 900, 2_500), new("Mountain Bicycle", 12_000, 35_000), new("Skipping Rope", 200, 600),
            new("Camping Tent", 4_000, 12_000),
        ],
        ["Size 42", "Size 40", "Adult", "Youth", "Original", "Replica"]),
        new(10, 5, ["Motors", "Auto Spares", "Boda Spares", "Garage"],
        [
            new("Boda Boda Helmet", 1_200, 3_500), new("Car Battery N70", 9_000, 15_000), new("Engine Oil 4L", 2_500, 5_000),
            new("Tyre 195/65 R15", 6_500, 12_000), new("Side Mirror", 1_500, 5_000), new("Seat Covers", 3_000, 8_000),
            new("Brake Pads", 1_500, 4_500), new("Motorbike Chain", 800, 2_000), new("Reflective Jacket", 300, 900),
        ],
        ["Toyota", "Nissan", "Boxer", "TVS", "Universal", "Genuine"]),
        new(11, 3, ["Bookshop", "Stationers", "Printers & Stationery"],
        [
            new("KCSE Revision Book", 450, 900), new("Exercise Books (Dozen)", 300, 700), new("Kamusi ya Kiswahili", 800, 1_500),
            new("Biblia Takatifu", 600, 1_800), new("The River and the Source", 550, 800), new("Blossoms of the Savannah", 600, 850),
            new("Ballpoint Pens (Box)", 250, 500), new("Scientific Calculator", 1_200, 2_500), new("Geometry Set", 200, 450),
            new("A4 Paper Ream", 550, 800), new("Counter Book", 150, 400),
        ],
        ["Form 4", "Form 2", "Grade 6", "Paperback", "New Edition"]),
        new(12, 3, ["Crafts", "Curio Shop", "Art Gallery", "Beadworks"],
        [
            new("Kiondo Basket", 800, 3_000), new("Maasai Beaded Bracelet", 200, 800), new("Soapstone Carving", 600, 3_500),
            new("Kisii Soapstone Chess Set", 2_500, 7_000), new("Wooden Giraffe", 1_000, 6_000), new("Kikoi Throw", 1_200, 3_000),
            new("Batik Painting", 1_500, 8_000), new("Beaded Sandals", 900, 2_500), new("Makonde Carving", 2_000, 12_000),
            new("Sisal Basket", 700, 2_500),
        ],
        ["Handmade", "Large", "Small", "Set of 3", "Traditional"]),
    ];

    public static readonly int TotalCategoryWeight = Categories.Sum(c => c.Weight);

    internal sealed record Category(int Id, int Weight, string[] Trades, Item[] Items, string[] Variants);

    internal sealed record Item(string Name, int MinPrice, int MaxPrice);
}
