namespace Hive.Bench.Floor;

/// <summary>The hot path's scenario names, which the saved figures and the plots key on.</summary>
internal static class Floors
{
    public const string Kestrel = "bare Kestrel (process)";
    public const string Relay = "bare YARP relay (process)";
    public const string KestrelInBench = "bare Kestrel (in bench)";
    public const string RelayInBench = "bare YARP relay (in bench)";
    public const string Catalog = "catalog straight";
    public const string Gateway = "gateway -> catalog";

    /// <summary>What a path is judged against (issue 17's targets), best first: a run before the floor had processes of its own had only the one in the bench, named "bare Kestrel" and "bare YARP relay".</summary>
    public static IEnumerable<string> FloorsOf(string path) => path switch
    {
        Relay => [Kestrel],
        RelayInBench => [KestrelInBench],
        "bare YARP relay" => ["bare Kestrel"],
        Catalog => [Kestrel, "bare Kestrel"],
        Gateway => [Relay, "bare YARP relay"],
        _ => [],
    };

    public static bool IsFloor(string path) => path.StartsWith("bare ", StringComparison.Ordinal);
}
