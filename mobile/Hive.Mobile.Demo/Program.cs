using Hive.Mobile;
using Hive.Mobile.Connectivity;
using Hive.Mobile.Demo;
using Spectre.Console;

var options = DemoOptions.Parse(args, out var error);
if (options is null)
{
    AnsiConsole.MarkupLineInterpolated($"[red]{error}[/]");
    AnsiConsole.MarkupLine("usage: dotnet run --project mobile/Hive.Mobile.Demo -- --gateway URL [--network good|3g|2g|offline] [--data DIR] [--buyer EMAIL --password P | --browser] [--tour]");
    return 2;
}

var network = new ManualNetworkMonitor(options.Network switch
{
    "3g" => NetworkQuality.Moderate,
    "2g" => NetworkQuality.Poor,
    "offline" => NetworkQuality.Offline,
    _ => NetworkQuality.Good,
});
await using var client = new HiveClient(new HiveClientOptions
{
    Gateway = options.Gateway,
    DataDirectory = options.DataDirectory,
    Network = network,
    InnerHandler = options.Network switch
    {
        "3g" => SimulatedNetworkHandler.ThreeG(),
        "2g" => SimulatedNetworkHandler.TwoG(),
        _ => null,
    },
});

var shop = new Shop(client, options);
await shop.GreetAsync();
if (options.Tour || Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
{
    await shop.TourAsync();
}
else
{
    await shop.MenuAsync();
}

await shop.FarewellAsync();
return 0;
