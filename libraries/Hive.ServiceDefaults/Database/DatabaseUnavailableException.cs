namespace Microsoft.Extensions.Hosting;

/// <summary>The database circuit is open: the request is answered 503 without waiting on Postgres.</summary>
public sealed class DatabaseUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
