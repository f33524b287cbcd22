using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>
/// The Aspire dashboard of the running fleet, checked as an operator would: in headless Chromium (Debian's
/// <c>chromium</c>, driven by Playwright; Playwright's own browser download is not used). Screenshots of each
/// page are kept in <c>.artifacts/dashboard/</c>.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class DashboardTests(FleetFixture fleet, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheDashboardListsEveryResourceHealthyTracesAProductUpdateThroughRabbitMqAndShowsTheInvalidationLag()
    {
        var browserPath = Environment.GetEnvironmentVariable("HIVE_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(browserPath), $"No Chromium at {browserPath} (apt-get install -y chromium, or set HIVE_CHROMIUM).");
        var dashboard = await fleet.App.GetDashboardUrlAsync();

        // A product update under a trace id of our own, so its trace can be opened by id.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        // A product no other fleet test changes.
        var product = await FleetClient.AnyActiveProductAsync(fleet.Gateway, skip: 11);
        using (var seller = await FleetClient.SellerAsync(fleet, product.BusinessId))
        {
            using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/products/{product.Id}")
            {
                Content = JsonContent.Create(new { price = product.Price + 1 }),
            };
            update.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            (await seller.SendAsync(update)).EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = browserPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(30_000);

        // The login URL carries the browser token and lands on the resources page.
        await page.GotoAsync(dashboard.ToString());
        var resources = await TextOnceAsync(
            page,
            text => FleetFixture.LongRunningResources.All(r => text.Contains(r, StringComparison.Ordinal))
                && !text.Contains("Unhealthy", StringComparison.Ordinal)
                && !text.Contains("Unknown", StringComparison.Ordinal)
                && !text.Contains("Starting", StringComparison.Ordinal),
            "every resource listed, none unhealthy, unknown or starting");
        await ScreenshotAsync(page, "resources");
        Assert.DoesNotContain("Unhealthy", resources, StringComparison.Ordinal);

        // The product update's trace: spans from catalog, the RabbitMQ hop and search's consumer.
        await page.GotoAsync(new Uri(dashboard, $"/traces/detail/{traceId}").ToString());
        var trace = await TextOnceAsync(
            page,
            text => text.Contains("catalog", StringComparison.Ordinal)
                && text.Contains("search", StringComparison.Ordinal)
                && text.Contains("rabbitmq", StringComparison.OrdinalIgnoreCase),
            $"trace {traceId} with spans of catalog, RabbitMQ and search");
        await ScreenshotAsync(page, "product-update-trace");
        output.WriteLine(trace.Length > 2000 ? trace[..2000] : trace);

        // The invalidation lag the metrics service measures for that update.
        await page.GotoAsync(new Uri(dashboard, "/metrics/resource/metrics?meter=Hive.Messaging&instrument=hive.invalidation.lag").ToString());
        await TextOnceAsync(page, text => text.Contains("hive.invalidation.lag", StringComparison.Ordinal), "the hive.invalidation.lag instrument");
        await ScreenshotAsync(page, "invalidation-lag");
    }

    /// <summary>The page's visible text once <paramref name="done"/> holds (the dashboard streams its data in); reloads while waiting.</summary>
    private static async Task<string> TextOnceAsync(IPage page, Func<string, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        var text = "";
        while (clock.Elapsed < Deadline)
        {
            text = await page.Locator("body").InnerTextAsync();
            if (done(text))
            {
                return text;
            }

            await page.WaitForTimeoutAsync(1_000);
            if (clock.Elapsed.TotalSeconds % 10 < 1)
            {
                await page.ReloadAsync();
            }
        }

        await ScreenshotAsync(page, "failed-" + new string([.. what.Where(char.IsLetterOrDigit)]).ToLowerInvariant()[..Math.Min(40, what.Length)]);
        Assert.Fail($"Not within {Deadline.TotalSeconds:0} s: {what}. The page showed: {(text.Length > 3000 ? text[..3000] : text)}");
        return text;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), ".artifacts", "dashboard");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hive.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
