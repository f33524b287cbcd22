namespace Hive.Bench.Http;

/// <summary>
/// One GET driven repeatedly: a name for the report and the URL of the n-th request. A fixed URL measures
/// the cached path; a URL that differs per request (another id, price or query) measures cold misses.
/// </summary>
internal sealed class HttpScenario(string name, Func<long, Uri> url)
{
    private long _sequence;

    public HttpScenario(string name, Uri url)
        : this(name, _ => url)
    {
    }

    public string Name { get; } = name;

    /// <summary>An access token sent as <c>Authorization: Bearer</c> with every request (signed-in scenarios); none when null.</summary>
    public string? BearerToken { get; init; }

    public Uri First => url(0);

    public Uri Next() => url(Interlocked.Increment(ref _sequence));
}
