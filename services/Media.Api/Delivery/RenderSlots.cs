using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

/// <summary>No more renders at once than cores (or the configured number): one huge request cannot starve the rest.</summary>
public sealed class RenderSlots : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;

    public RenderSlots(IOptions<MediaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.Value.MaxConcurrentRenders > 0 ? options.Value.MaxConcurrentRenders : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(count, count);
        _wait = options.Value.RenderQueueTimeout;
    }

    public async Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_wait, cancellationToken))
        {
            throw new RenderQueueFullException(_wait);
        }

        try
        {
            return await Task.Run(render, CancellationToken.None);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}

/// <summary>Every render slot stayed busy for the whole wait; answered with 503 and Retry-After.</summary>
public sealed class RenderQueueFullException(TimeSpan waited) : Exception($"Every render slot stayed busy for {waited.TotalSeconds:0} s.");
