using Hive.Mobile.Caching;
using Hive.Mobile.Connectivity;

namespace Hive.Mobile;

/// <summary>Settings of one <see cref="HiveClient"/>; every default suits a phone on a slow network.</summary>
public sealed class HiveClientOptions
{
    /// <summary>The gateway, for example https://api.hive.example/. Required.</summary>
    public Uri? Gateway { get; set; }

    /// <summary>Folder for the SQLite database (request cache, order queue) and cached image bytes. Required.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Bytes of response bodies kept in memory. Default 4 MiB.</summary>
    public long MemoryBudgetBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Bytes of response bodies kept in SQLite. Default 32 MiB.</summary>
    public long DiskBudgetBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Bytes of image files kept on disk. Default 64 MiB.</summary>
    public long ImageBudgetBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long an answer is fresh, per kind of resource; after that it is served stale and revalidated.</summary>
    public CacheLifetimes Lifetimes { get; set; } = new();

    /// <summary>Retries after the first attempt (safe and idempotent requests only). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; doubles per retry, with jitter. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Limit of one attempt, so a stalled connection is given up and retried. Default 20 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Consecutive connection failures after which the client treats itself as offline until a success. Default 3.</summary>
    public int FailuresBeforeOffline { get; set; } = 3;

    /// <summary>Connectivity from the platform; defaults to a monitor that says the network is good.</summary>
    public INetworkMonitor Network { get; set; } = new ManualNetworkMonitor();

    /// <summary>Device pixel ratio of the screen images are drawn on. Default 2.</summary>
    public double PixelRatio { get; set; } = 2;

    /// <summary>Image formats the platform decodes, best first. Default AVIF, WebP, JPEG.</summary>
    public IReadOnlyList<string> ImageFormats { get; set; } = ["image/avif", "image/webp", "image/jpeg"];

    /// <summary>The handler under the SDK (a platform's native handler, or a test's). Default: a SocketsHttpHandler.</summary>
    public HttpMessageHandler? InnerHandler { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Gateway is null || !Gateway.IsAbsoluteUri)
        {
            throw new ArgumentException("HiveClientOptions.Gateway must be an absolute URI.", nameof(Gateway));
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("HiveClientOptions.DataDirectory is required.", nameof(DataDirectory));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryBudgetBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(DiskBudgetBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PixelRatio, 0);
    }
}
