using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hive.Bench.Fleet;
using Hive.Mobile;
using Hive.Mobile.Api;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Images;

namespace Hive.Bench.Experiments;

/// <summary>
/// One scripted browsing session (categories, a list, five products with their images, three searches,
/// back to the list) over a simulated 3G link (300 ms round trip, 750 kbit/s, 2 % of requests failing),
/// done by the Hive.Mobile SDK and by a plain HttpClient side by side against the same fleet; then each
/// again as a second visit (a new app process: the SDK on the same data folder).
/// </summary>
internal static class MobileBench
{
    private static readonly string[] Searches = ["shoes", "kiondo", "phone"];

    public static async Task RunAsync(int seed, int sessions, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("Starting the fleet...");
        await using var fleet = await BenchFleet.StartAsync([], cancellationToken);
        var gateway = fleet.Endpoint("gateway");

        // Warm the fleet's caches and this process's JIT for both sides, so neither pays a cold start the other does not.
        using (var warm = new HttpClient { BaseAddress = gateway })
        {
            await PlainSessionAsync(warm, cancellationToken);
        }

        var warmData = Directory.CreateTempSubdirectory("hive-mobile-bench-warm-").FullName;
        await SdkAsync(gateway, warmData, "warm-up", link: null, cancellationToken);
        Directory.Delete(warmData, recursive: true);

        var rows = new List<Row>();
        foreach (var (profile, link, quality) in Profiles)
        {
            for (var session = 0; session < sessions; session++)
            {
                var data = Directory.CreateTempSubdirectory("hive-mobile-bench-").FullName;
                try
                {
                    var sessionSeed = seed + session;
                    rows.Add(await PlainAsync(gateway, link(sessionSeed), "first visit", cancellationToken) with { Profile = profile });
                    rows.Add(await SdkAsync(gateway, data, "first visit", link(sessionSeed), cancellationToken, quality) with { Profile = profile });
                    rows.Add(await PlainAsync(gateway, link(sessionSeed + 1000), "second visit", cancellationToken) with { Profile = profile });
                    rows.Add(await SdkAsync(gateway, data, "second visit", link(sessionSeed + 1000), cancellationToken, quality) with { Profile = profile });
                }
                finally
                {
                    Directory.Delete(data, recursive: true);
                }
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sessions} sessions per link (seeds {seed}..{seed + sessions - 1}); sums over all sessions, times are means per session"));
        output.WriteLine();
        output.WriteLine("| link | client | visit | requests sent | dropped by the link | bytes received | total time | failures the user saw | time to first content |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => (r.Profile, r.Visit, r.Client)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Profile} | {group.Key.Client} | {group.Key.Visit} | {group.Sum(r => r.Requests)} | {group.Sum(r => r.Dropped)} | {group.Sum(r => r.Bytes):N0} | {group.Average(r => r.Total.TotalSeconds):0.00} s | {group.Sum(r => r.Failures)} | {group.Average(r => r.FirstContent.TotalMilliseconds):0} ms |"));
        }

        await ImagesAsync(gateway, seed, output, cancellationToken);
        await DeduplicationAsync(gateway, seed, output, cancellationToken);
    }

    /// <summary>The links, and what the platform tells the SDK about each (2G: smaller pages and variants).</summary>
    private static readonly (string Name, Func<int, SimulatedNetworkHandler> Link, NetworkQuality Quality)[] Profiles =
    [
        ("3G", s => SimulatedNetworkHandler.ThreeG(s), NetworkQuality.Moderate),
        ("2G", s => SimulatedNetworkHandler.TwoG(s), NetworkQuality.Poor),
    ];

    /// <summary>
    /// The five products' images alone on 3G, media's renderings made beforehand: a plain client GETs each
    /// product's image URL (media picks JPEG for a client that names no format); the SDK loads placeholder,
    /// small and target (AVIF) with an empty cache, then again from a new client on the same data folder (the disk cache).
    /// </summary>
    private static async Task ImagesAsync(Uri gateway, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        List<Hive.Mobile.Models.ProductImage> images;
        using (var http = new HttpClient { BaseAddress = gateway })
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("api/catalog/products?pageSize=40", cancellationToken)).RootElement;
            images = [];
            foreach (var id in list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()))
            {
                var product = JsonDocument.Parse(await http.GetStringAsync($"api/catalog/products/{id}", cancellationToken)).RootElement;
                if (product.GetProperty("images").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } image)
                {
                    images.Add(JsonSerializer.Deserialize<Hive.Mobile.Models.ProductImage>(image.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
                }

                if (images.Count == 5)
                {
                    break;
                }
            }

            // Media renders every variant on the first lookup; that is the server's cold start, not the link's cost.
            foreach (var image in images)
            {
                await http.GetStringAsync($"api/media/images/{ImageLoader.MediaImageId(image)}/variants", cancellationToken);
                using var rendered = await http.GetAsync(image.Url.TrimStart('/'), cancellationToken);
            }
        }

        var table = new List<string>();
        var plainLink = SimulatedNetworkHandler.ThreeG(seed + 5000);
        using (var plain = new HttpClient(plainLink) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) })
        {
            var clock = Stopwatch.StartNew();
            var failures = 0;
            foreach (var image in images)
            {
                try
                {
                    using var response = await plain.GetAsync(image.Url.TrimStart('/'), cancellationToken);
                    failures += response.IsSuccessStatusCode ? 0 : 1;
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                catch (HttpRequestException)
                {
                    failures++;
                }
            }

            var each = clock.Elapsed / images.Count;
            table.Add(Line("HttpClient (image URL, JPEG)", plainLink, "none", each, failures));
        }

        var data = Directory.CreateTempSubdirectory("hive-mobile-bench-images-").FullName;
        try
        {
            foreach (var visit in new[] { "cold", "warm (new client, same disk)" })
            {
                var link = SimulatedNetworkHandler.ThreeG(seed + (visit == "cold" ? 6000 : 7000));
                await using var client = new HiveClient(new HiveClientOptions
                {
                    Gateway = gateway,
                    DataDirectory = data,
                    InnerHandler = link,
                    Network = new ManualNetworkMonitor(NetworkQuality.Moderate),
                });
                var placeholder = TimeSpan.Zero;
                var final = TimeSpan.Zero;
                var failures = 0;
                foreach (var image in images)
                {
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        await foreach (var frame in client.Media.Images.LoadAsync(image, 320, 320, cancellationToken))
                        {
                            placeholder += frame is ImageFrame.Blurred ? clock.Elapsed : TimeSpan.Zero;
                        }
                    }
                    catch (Exception ex) when (ex is Hive.Mobile.Http.HiveApiException or Hive.Mobile.Http.HiveOfflineException)
                    {
                        failures++;
                    }

                    final += clock.Elapsed;
                }

                table.Add(Line($"Hive.Mobile {visit}", link, string.Create(CultureInfo.InvariantCulture, $"{placeholder.TotalMilliseconds / images.Count:0.0} ms"), final / images.Count, failures));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Five product images on 3G, a 320 × 320 box at pixel ratio 2 (image ids {string.Join(", ", images.Select(i => i.Id))})"));
        output.WriteLine();
        output.WriteLine("| client | requests sent | bytes received | placeholder shown after (mean) | final image after (mean) | failures |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var line in table)
        {
            output.WriteLine(line);
        }

        static string Line(string name, SimulatedNetworkHandler link, string placeholder, TimeSpan each, int failures)
            => string.Create(CultureInfo.InvariantCulture, $"| {name} | {link.Requests} | {link.BytesReceived:N0} | {placeholder} | {each.TotalMilliseconds:0} ms | {failures} |");
    }

    /// <summary>Twenty parts of a screen asking for one product at the same moment, on 3G: one request with the SDK.</summary>
    private static async Task DeduplicationAsync(Uri gateway, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        const int Readers = 20;
        long id;
        using (var http = new HttpClient { BaseAddress = gateway })
        {
            id = JsonDocument.Parse(await http.GetStringAsync("api/catalog/products?pageSize=1&sort=price", cancellationToken)).RootElement
                .GetProperty("items")[0].GetProperty("id").GetInt64();
        }

        var plainLink = SimulatedNetworkHandler.ThreeG(seed + 8000);
        TimeSpan plainTime;
        int plainFailures;
        using (var plain = new HttpClient(plainLink) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) })
        {
            var clock = Stopwatch.StartNew();
            var ok = await Task.WhenAll(Enumerable.Range(0, Readers).Select(async _ =>
            {
                try
                {
                    using var response = await plain.GetAsync($"api/catalog/products/{id}", cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }));
            plainTime = clock.Elapsed;
            plainFailures = ok.Count(o => !o);
        }

        var data = Directory.CreateTempSubdirectory("hive-mobile-bench-dedup-").FullName;
        var sdkLink = SimulatedNetworkHandler.ThreeG(seed + 8000);
        TimeSpan sdkTime;
        int sdkFailures;
        long shared;
        try
        {
            await using var client = new HiveClient(new HiveClientOptions
            {
                Gateway = gateway,
                DataDirectory = data,
                InnerHandler = sdkLink,
                Network = new ManualNetworkMonitor(NetworkQuality.Moderate),
            });
            var clock = Stopwatch.StartNew();
            var ok = await Task.WhenAll(Enumerable.Range(0, Readers).Select(async _ =>
            {
                try
                {
                    await client.Catalog.ProductAsync(id, cancellationToken);
                    return true;
                }
                catch (Exception ex) when (ex is Hive.Mobile.Http.HiveApiException or Hive.Mobile.Http.HiveOfflineException)
                {
                    return false;
                }
            }));
            sdkTime = clock.Elapsed;
            sdkFailures = ok.Count(o => !o);
            shared = client.Statistics.SharedReads;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Readers} concurrent reads of product {id} on 3G, cold"));
        output.WriteLine();
        output.WriteLine("| client | requests sent | bytes received | all answered after | failures | reads that shared another's request |");
        output.WriteLine("|---|---|---|---|---|---|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| HttpClient | {plainLink.Requests} | {plainLink.BytesReceived:N0} | {plainTime.TotalMilliseconds:0} ms | {plainFailures} | 0 |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Hive.Mobile | {sdkLink.Requests} | {sdkLink.BytesReceived:N0} | {sdkTime.TotalMilliseconds:0} ms | {sdkFailures} | {shared} |"));
    }

    private static async Task<Row> PlainAsync(Uri gateway, SimulatedNetworkHandler link, string visit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(link) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var (failures, firstContent) = await PlainSessionAsync(http, cancellationToken);
        return new Row("HttpClient", visit, link.Requests, link.Dropped, link.BytesReceived, clock.Elapsed, failures, firstContent);
    }

    private static async Task<Row> SdkAsync(Uri gateway, string data, string visit, SimulatedNetworkHandler? link, CancellationToken cancellationToken, NetworkQuality quality = NetworkQuality.Moderate)
    {
        var clock = Stopwatch.StartNew();
        await using var client = new HiveClient(new HiveClientOptions
        {
            Gateway = gateway,
            DataDirectory = data,
            InnerHandler = link,
            Network = new ManualNetworkMonitor(link is null ? NetworkQuality.Good : quality),
        });
        var failures = 0;
        var firstContent = TimeSpan.Zero;
        async Task Step(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception ex) when (ex is Hive.Mobile.Http.HiveApiException or Hive.Mobile.Http.HiveOfflineException)
            {
                failures++;
            }
        }

        var categories = Array.Empty<int>();
        await Step(async () =>
        {
            categories = (await client.Catalog.CategoriesAsync(cancellationToken)).Value.Select(c => c.Id).ToArray();
            firstContent = clock.Elapsed;
        });
        var query = new ProductQuery { Category = categories.FirstOrDefault(), PageSize = 20 };
        var products = Array.Empty<long>();
        await Step(async () => products = (await client.Catalog.ProductsAsync(query, cancellationToken)).Value.Items.Select(p => p.Id).Take(5).ToArray());
        foreach (var id in products)
        {
            await Step(async () =>
            {
                var product = (await client.Catalog.ProductAsync(id, cancellationToken)).Value;
                foreach (var image in product.Images.Take(1))
                {
                    await ImageAsync(client, image, cancellationToken);
                }
            });
        }

        foreach (var text in Searches)
        {
            await Step(() => client.Search.SearchAsync(new SearchQuery(text) { PageSize = 20 }, cancellationToken));
        }

        await Step(() => client.Catalog.ProductsAsync(query, cancellationToken));
        return new Row("Hive.Mobile", visit, link?.Requests ?? 0, link?.Dropped ?? 0, link?.BytesReceived ?? 0, clock.Elapsed, failures, firstContent);
    }

    /// <summary>
    /// The product's image through the progressive loader. Until the media service renders images the
    /// seeded URLs answer 404; the request still costs a round trip, but a missing picture is not counted
    /// as a failure the user saw (neither side can show it).
    /// </summary>
    private static async Task ImageAsync(HiveClient client, Hive.Mobile.Models.ProductImage image, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in client.Media.Images.LoadAsync(image, 320, 320, cancellationToken))
            {
                _ = frame;
            }
        }
        catch (Hive.Mobile.Http.HiveApiException missing) when (missing.Status == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    private static async Task<(int Failures, TimeSpan FirstContent)> PlainSessionAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var failures = 0;
        var firstContent = TimeSpan.Zero;
        async Task<JsonElement?> Get(string path, bool countFailure = true)
        {
            try
            {
                using var response = await http.GetAsync(path, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failures += countFailure && response.StatusCode != System.Net.HttpStatusCode.NotFound ? 1 : 0;
                    return null;
                }

                if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true)
                {
                    return default(JsonElement);
                }

                using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                return document.RootElement.Clone();
            }
            catch (HttpRequestException)
            {
                failures++;
                return null;
            }
        }

        var categories = await Get("api/catalog/categories");
        firstContent = clock.Elapsed;
        var category = categories is { ValueKind: JsonValueKind.Array } c && c.GetArrayLength() > 0 ? c[0].GetProperty("id").GetInt32() : 0;
        var listPath = $"api/catalog/products?category={category}&pageSize=20";
        var list = await Get(listPath);
        var ids = list is { } l ? l.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Take(5).ToList() : [];
        foreach (var id in ids)
        {
            var product = await Get($"api/catalog/products/{id}");
            if (product is { } p && p.GetProperty("images").GetArrayLength() > 0)
            {
                var image = p.GetProperty("images")[0];
                await Get(image.GetProperty("url").GetString()!.TrimStart('/'), countFailure: false);
            }
        }

        foreach (var text in Searches)
        {
            await Get($"api/search?q={Uri.EscapeDataString(text)}&pageSize=20");
        }

        await Get(listPath);
        return (failures, firstContent);
    }

    private sealed record Row(string Client, string Visit, long Requests, long Dropped, long Bytes, TimeSpan Total, int Failures, TimeSpan FirstContent)
    {
        public string Profile { get; init; } = "3G";
    }
}
