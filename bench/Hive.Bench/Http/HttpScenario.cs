namespace Hive.Bench.Http;

/// <summary>One HTTP GET driven repeatedly: a name for the report and the absolute URL.</summary>
internal sealed record HttpScenario(string Name, Uri Url);
