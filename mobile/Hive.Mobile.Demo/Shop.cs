using System.Globalization;
using Hive.Mobile.Api;
using Hive.Mobile.Auth;
using Hive.Mobile.Caching;
using Hive.Mobile.Http;
using Hive.Mobile.Images;
using Hive.Mobile.Models;
using Spectre.Console;

namespace Hive.Mobile.Demo;

/// <summary>The terminal shop: every screen reads through the SDK and says where its answer came from.</summary>
internal sealed class Shop(HiveClient client, DemoOptions options)
{
    private static readonly CultureInfo Kenya = CultureInfo.GetCultureInfo("en-KE");

    public async Task GreetAsync()
    {
        AnsiConsole.Write(new Rule("[yellow]Hive[/] terminal shop").LeftJustified());
        AnsiConsole.MarkupLineInterpolated($"gateway [blue]{options.Gateway}[/], network [blue]{options.Network}[/], data in [grey]{options.DataDirectory}[/]");
        client.Orders.Queue.OrderPlaced += (_, outcome) => AnsiConsole.MarkupLineInterpolated($"[green]order {outcome.Order!.Id} placed[/] (key {outcome.IdempotencyKey[..8]}…), total {Money(outcome.Order.Total)}");
        client.Orders.Queue.OrderRefused += (_, outcome) => AnsiConsole.MarkupLineInterpolated($"[red]order refused[/]: {outcome.Problem?.Detail ?? outcome.Problem?.Title}");
        client.Orders.Queue.SignInRequired += (_, _) => AnsiConsole.MarkupLine("[yellow]sign-in expired: the order queue waits until you sign in again[/]");

        foreach (var earlier in await client.Orders.Queue.TakeOutcomesAsync())
        {
            AnsiConsole.MarkupLineInterpolated($"from an earlier run: order {(earlier.Placed ? $"{earlier.Order!.Id} placed" : "refused: " + earlier.Problem?.Detail)}");
        }

        var pending = await client.Orders.Queue.PendingAsync();
        if (pending.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{pending.Count} order(s) waiting in the queue[/]{(client.Network == Connectivity.NetworkQuality.Offline ? ": they go out on the next run with a connection" : ": sending now")}");
        }

        await SignInAsync();
    }

    public async Task TourAsync()
    {
        var categories = await Try(() => CategoriesAsync());
        if (categories is null)
        {
            return;
        }

        var page = await Try(() => ListAsync(categories.FirstOrDefault()?.Id));
        if (page is { Items.Count: > 0 })
        {
            var product = await Try(() => ProductAsync(page.Items[0].Id));
            await Try(() => SearchAsync("shoes"));
            if (product is not null)
            {
                await OrderAsync(product, 1);
            }
        }
    }

    public async Task MenuAsync()
    {
        while (true)
        {
            var choice = AnsiConsole.Prompt(new SelectionPrompt<string>().Title("What next?")
                .AddChoices("Browse categories", "Search", "My queue", "Network statistics", "Quit"));
            switch (choice)
            {
                case "Browse categories":
                    await BrowseAsync();
                    break;
                case "Search":
                    await Try(() => SearchAsync(AnsiConsole.Ask<string>("Search for:")));
                    break;
                case "My queue":
                    var pending = await client.Orders.Queue.PendingAsync();
                    AnsiConsole.MarkupLineInterpolated($"{pending.Count} order(s) waiting");
                    break;
                case "Network statistics":
                    AnsiConsole.WriteLine(client.Statistics.ToString());
                    break;
                default:
                    return;
            }
        }
    }

    public async Task FarewellAsync()
    {
        if (client.Network != Connectivity.NetworkQuality.Offline && (await client.Orders.Queue.PendingAsync()).Count > 0)
        {
            // Give queued orders a moment to go out before the app closes; they are safe either way.
            await AnsiConsole.Status().StartAsync("sending queued orders…", async _ =>
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await client.Orders.Queue.DrainAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        AnsiConsole.Write(new Rule("network").LeftJustified());
        AnsiConsole.WriteLine(client.Statistics.ToString());
    }

    private async Task BrowseAsync()
    {
        var categories = await Try(() => CategoriesAsync());
        if (categories is not { Count: > 0 })
        {
            return;
        }

        var category = AnsiConsole.Prompt(new SelectionPrompt<CategoryCount>().Title("Category").UseConverter(c => $"{c.Name} ({c.ProductCount})").AddChoices(categories));
        var page = await Try(() => ListAsync(category.Id));
        if (page is not { Items.Count: > 0 })
        {
            return;
        }

        var card = AnsiConsole.Prompt(new SelectionPrompt<ProductCard>().Title("Product").UseConverter(c => $"{c.Name} — {Money(c.Price)}").AddChoices(page.Items));
        var product = await Try(() => ProductAsync(card.Id));
        if (product is not null && AnsiConsole.Confirm($"Order {product.Name}?", false))
        {
            await OrderAsync(product, AnsiConsole.Ask("Quantity:", 1));
        }
    }

    private async Task<IReadOnlyList<CategoryCount>> CategoriesAsync()
    {
        var categories = await client.Catalog.CategoriesAsync();
        var table = new Table().Title($"Categories {Origin(categories)}").AddColumns("id", "category", "products");
        foreach (var c in categories.Value)
        {
            table.AddRow(c.Id.ToString(Kenya), Markup.Escape(c.Name), c.ProductCount.ToString(Kenya));
        }

        AnsiConsole.Write(table);
        return categories.Value;
    }

    private async Task<ProductPage> ListAsync(int? category)
    {
        var page = await client.Catalog.ProductsAsync(new ProductQuery { Category = category });
        var table = new Table().Title($"Products {Origin(page)} — {page.Value.Items.Count} per page on this network").AddColumns("id", "product", "price");
        foreach (var p in page.Value.Items)
        {
            table.AddRow(p.Id.ToString(Kenya), Markup.Escape(p.Name), Money(p.Price));
        }

        AnsiConsole.Write(table);
        return page.Value;
    }

    private async Task<ProductDetail> ProductAsync(long id)
    {
        var product = await client.Catalog.ProductAsync(id);
        var detail = product.Value;
        AnsiConsole.Write(new Panel(new Markup($"[bold]{Markup.Escape(detail.Name)}[/]\n{Markup.Escape(detail.Description)}\n\n{Money(detail.Price)} · {detail.Stock} in stock"))
            .Header($"product {detail.Id} {Origin(product)}"));

        if (detail.Images.Count > 0)
        {
            await ImageChainAsync(detail.Images[0]);
        }

        return detail;
    }

    private async Task ImageChainAsync(ProductImage image)
    {
        try
        {
            await foreach (var frame in client.Media.Images.LoadAsync(image, displayWidth: 320, displayHeight: 320))
            {
                switch (frame)
                {
                    case ImageFrame.Blurred blurred:
                        AnsiConsole.MarkupLineInterpolated($"image: placeholder {blurred.Bitmap.Width}×{blurred.Bitmap.Height} decoded locally, no request");
                        AnsiConsole.Write(Canvas(blurred.Bitmap));
                        break;
                    case ImageFrame.Encoded encoded:
                        AnsiConsole.MarkupLineInterpolated($"image: {(encoded.IsFinal ? "target" : "small")} {encoded.Width} px {encoded.ContentType}, {encoded.Bytes.Length:N0} bytes{(encoded.FromCache ? " from the disk cache" : string.Empty)}");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is HiveApiException or HiveOfflineException)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]image not available: {ex.Message}[/]");
        }
    }

    private async Task SearchAsync(string text)
    {
        for (var length = 2; length <= Math.Min(4, text.Length); length++)
        {
            var prefix = text[..length];
            var suggestions = await client.Search.AutocompleteAsync(prefix);
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(prefix)}… →[/] {Markup.Escape(string.Join(", ", suggestions.Value.Suggestions.Take(5).Select(s => s.Text)))} {Origin(suggestions)}");
        }

        var results = await client.Search.SearchAsync(new SearchQuery(text));
        var table = new Table().Title($"Search '{Markup.Escape(text)}': {results.Value.Total.Value}{(results.Value.Total.IsExact ? string.Empty : "+")} {Origin(results)}").AddColumns("id", "product", "price", "category");
        foreach (var hit in results.Value.Hits)
        {
            table.AddRow(hit.Id.ToString(Kenya), Markup.Escape(hit.Name), Money(hit.Price), Markup.Escape(hit.CategoryName));
        }

        AnsiConsole.Write(table);
    }

    private async Task OrderAsync(ProductDetail product, int quantity)
    {
        var queued = await client.Orders.PlaceAsync(new OrderRequest("Demo Buyer", "+254712345678", "Nairobi", [new OrderLineRequest(product.Id, quantity)]));
        AnsiConsole.MarkupLineInterpolated($"order for {quantity} × {product.Name} saved in the queue (key {queued.IdempotencyKey[..8]}…)");
        if (client.Network == Connectivity.NetworkQuality.Offline)
        {
            AnsiConsole.MarkupLine("[yellow]offline: the order waits and goes out on the next run with a connection[/]");
            return;
        }

        try
        {
            await client.Orders.Queue.WhenFinishedAsync(queued.IdempotencyKey).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            AnsiConsole.MarkupLine("[yellow]no answer yet: the order stays queued and is sent again with the same key[/]");
        }
    }

    private async Task SignInAsync()
    {
        if (options.Buyer is null && !options.Browser)
        {
            AnsiConsole.MarkupLine("[grey]not signed in (--browser signs in on identity's page; --buyer EMAIL --password P as a demo buyer directly)[/]");
            return;
        }

        // --browser: authorization code + PKCE as a desktop app does it, the redirect caught on a loopback port.
        var browser = options.Browser ? new LoopbackBrowser(OpenSignInPageAsync) : null;
        var signIn = client.UseSignIn(new SignInOptions
        {
            AllowHttp = options.Gateway.IsLoopback,
            TokenStore = new FileTokenStore(Path.Combine(options.DataDirectory, "tokens.json")),
            Browser = browser,
            RedirectUri = browser?.RedirectUri ?? "hive://callback",
        });
        if (await signIn.RestoreAsync())
        {
            AnsiConsole.MarkupLineInterpolated($"signed in as [blue]{signIn.UserId}[/] (restored)");
            return;
        }

        if ((browser is null && options.Password is null) || client.Network == Connectivity.NetworkQuality.Offline)
        {
            AnsiConsole.MarkupLine("[yellow]cannot sign in now (no password, or offline)[/]");
            return;
        }

        try
        {
            var tokens = browser is not null ? await signIn.SignInAsync() : await signIn.SignInWithPasswordAsync(options.Buyer!, options.Password!);
            AnsiConsole.MarkupLineInterpolated($"signed in as [blue]{options.Buyer ?? tokens.UserId}[/] (user {tokens.UserId})");
        }
        catch (SignInException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
        }
    }

    private static Task OpenSignInPageAsync(string url, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("Sign in on this page (it opens in your browser if there is one):");
        AnsiConsole.WriteLine(url);
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(url) { UseShellExecute = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // A terminal without a browser: the printed URL is enough.
        }

        return Task.CompletedTask;
    }

    private static async Task<T?> Try<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HiveOfflineException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]offline and not cached: {ex.Message}[/]");
        }
        catch (HiveApiException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{(int)ex.Status} {ex.Title}[/]: {ex.Detail}");
        }

        return null;
    }

    private static async Task Try(Func<Task> action) => await Try(async () =>
    {
        await action();
        return string.Empty;
    });

    private static string Origin<T>(Fetched<T> fetched)
        => $"[grey]({fetched.Source.ToString().ToLowerInvariant()}{(fetched.IsStale ? ", stale: refreshing" : string.Empty)})[/]";

    private static string Money(decimal amount) => "KES " + amount.ToString("N0", Kenya);

    private static Canvas Canvas(PlaceholderBitmap bitmap)
    {
        // Every other pixel: the terminal draws each as two characters.
        var canvas = new Canvas(bitmap.Width / 2, bitmap.Height / 2);
        for (var y = 0; y < bitmap.Height / 2; y++)
        {
            for (var x = 0; x < bitmap.Width / 2; x++)
            {
                var at = ((y * 2 * bitmap.Width) + (x * 2)) * 4;
                canvas.SetPixel(x, y, new Color(bitmap.Rgba[at], bitmap.Rgba[at + 1], bitmap.Rgba[at + 2]));
            }
        }

        return canvas;
    }
}
