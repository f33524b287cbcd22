namespace Hive.Mobile.Demo;

/// <summary>The command line: --gateway URL [--network good|3g|2g|offline] [--data DIR] [--buyer EMAIL --password P | --browser] [--tour].</summary>
internal sealed record DemoOptions(Uri Gateway, string Network, string DataDirectory, string? Buyer, string? Password, bool Tour, bool Browser = false)
{
    private static readonly string[] Networks = ["good", "3g", "2g", "offline"];

    public static DemoOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tour = false;
        var browser = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--tour")
            {
                tour = true;
            }
            else if (args[i] == "--browser")
            {
                browser = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                error = $"Unexpected argument '{args[i]}'.";
                return null;
            }
        }

        if (!values.TryGetValue("gateway", out var gateway) || !Uri.TryCreate(gateway, UriKind.Absolute, out var gatewayUri))
        {
            error = "--gateway URL is required (the address scripts/run.sh prints).";
            return null;
        }

        var network = values.GetValueOrDefault("network", "good").ToLowerInvariant();
        if (!Networks.Contains(network))
        {
            error = "--network is one of good, 3g, 2g, offline.";
            return null;
        }

        var data = values.GetValueOrDefault("data") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "hive-mobile-demo");
        var password = values.GetValueOrDefault("password") ?? Environment.GetEnvironmentVariable("HIVE_DEMO_PASSWORD");
        return new DemoOptions(gatewayUri, network, data, values.GetValueOrDefault("buyer"), password, tour, browser);
    }
}
