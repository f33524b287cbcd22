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
        for (var session = 0; session < sessions; session++)
        {
            var data = Directory.CreateTempSubdirectory("hive-mobile-bench-").FullName;
            try
            {
                var sessionSeed = seed + session;
                rows.Add(await PlainAsync(gateway, sessionSeed, "first visit", cancellationToken));
                rows.Add(await SdkAsync(gateway, data, "first visit", SimulatedNetworkHandler.ThreeG(sessionSeed), cancellationToken));
                rows.Add(await PlainAsync(gateway, sessionSeed + 1000, "second visit", cancellationToken));
                rows.Add(await SdkAsync(gateway, data, "second visit", SimulatedNetworkHandler.ThreeG(sessionSeed + 1000), cancellationToken));
            }
            finally
            {
                Directory.Delete(data, recursive: true);
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sessions} sessions (seeds {seed}..{seed + sessions - 1}); sums over all sessions, times are means per session"));
        output.WriteLine();
        output.WriteLine("| client | visit | requests sent | dropped by the link | bytes received | total time | failures the user saw | time to first content |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => (r.Visit, r.Client)).OrderBy(g => g.Key.Visit).ThenBy(g => g.Key.Client))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Client} | {group.Key.Visit} | {group.Sum(r => r.Requests)} | {group.Sum(r => r.Dropped)} | {group.Sum(r => r.Bytes):N0} | {group.Average(r => r.Total.TotalSeconds):0.00} s | {group.Sum(r => r.Failures)} | {group.Average(r => r.FirstContent.TotalMilliseconds):0} ms |"));
        }
    }

    private static async Task<Row> PlainAsync(Uri gateway, int seed, string visit, CancellationToken cancellationToken)
    {
        var link = SimulatedNetworkHandler.ThreeG(seed);
        using var http = new HttpClient(link) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var (failures, firstContent) = await PlainSessionAsync(http, cancellationToken);
        return new Row("HttpClient", visit, link.Requests, link.Dropped, link.BytesReceived, clock.Elapsed, failures, firstContent);
    }

    private static async Task<Row> SdkAsync(Uri gateway, string data, string visit, SimulatedNetworkHandler? link, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var client = new HiveClient(new HiveClientOptions
        {
            Gateway = gateway,
            DataDirectory = data,
            InnerHandler = link,
            Network = new ManualNetworkMonitor(link is null ? NetworkQuality.Good : NetworkQuality.Moderate),
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

    private sealed record Row(string Client, string Visit, long Requests, long Dropped, long Bytes, TimeSpan Total, int Failures, TimeSpan FirstContent);
}
