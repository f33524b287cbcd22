namespace Hive.Mobile.Http;

/// <summary>What the SDK did on the wire and what the cache spared it; thread-safe counters an app can show or log.</summary>
public sealed class ClientStatistics
{
    private long _requestsSent;
    private long _bytesReceived;
    private long _notModified;
    private long _bytesSavedByNotModified;
    private long _memoryHits;
    private long _diskHits;
    private long _sharedReads;
    private long _failedAttempts;

    /// <summary>HTTP attempts sent, retries included.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>Body bytes received over the network.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Revalidations the server answered with 304.</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    /// <summary>Bytes of bodies the 304s did not have to send again.</summary>
    public long BytesSavedByNotModified => Interlocked.Read(ref _bytesSavedByNotModified);

    public long MemoryHits => Interlocked.Read(ref _memoryHits);

    public long DiskHits => Interlocked.Read(ref _diskHits);

    /// <summary>Reads that joined a request already in flight instead of sending their own.</summary>
    public long SharedReads => Interlocked.Read(ref _sharedReads);

    /// <summary>Attempts that failed with a connection error, a timeout, 408, 429 or a 5xx.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    internal void RequestSent() => Interlocked.Increment(ref _requestsSent);

    internal void Received(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void NotModifiedSaved(long bytes)
    {
        Interlocked.Increment(ref _notModified);
        Interlocked.Add(ref _bytesSavedByNotModified, bytes);
    }

    internal void MemoryHit() => Interlocked.Increment(ref _memoryHits);

    internal void DiskHit() => Interlocked.Increment(ref _diskHits);

    internal void SharedRead() => Interlocked.Increment(ref _sharedReads);

    internal void AttemptFailed() => Interlocked.Increment(ref _failedAttempts);

    public override string ToString()
        => $"requests {RequestsSent}, received {BytesReceived} B, 304s {NotModified} (saved {BytesSavedByNotModified} B), memory hits {MemoryHits}, disk hits {DiskHits}, shared {SharedReads}, failed attempts {FailedAttempts}";
}
