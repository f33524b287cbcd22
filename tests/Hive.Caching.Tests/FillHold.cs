namespace Hive.Caching.Tests;

/// <summary>Holds fills of one key between their factory's answer and their cache write until released.</summary>
internal sealed class FillHold(CacheKey held) : ICacheFillObserver
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached => _reached.Task;

    public void Release() => _release.TrySetResult();

    public async ValueTask OnLoadedAsync(CacheKey key, CancellationToken cancellationToken)
    {
        if (key != held)
        {
            return;
        }

        _reached.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
    }
}
