using System.Collections.Concurrent;

namespace Hive.Caching;

/// <summary>
/// Coalesces invalidations of one tag. Every caller needs an invalidation that starts after its call (its
/// change is committed by then, so a fill read after that start sees it). Callers that arrive while a round
/// runs join the next round, which starts when the running one ends, so a burst of events sharing a tag
/// (catalog's lists, featured and trending on every product change) costs two rounds, not one per event.
/// No library offers this (FusionCache runs each RemoveByTag on its own); it is small and tested by
/// <c>InvalidationRoundsTests</c>.
/// </summary>
internal sealed class InvalidationRounds
{
    private readonly ConcurrentDictionary<string, Rounds> _tags = new(StringComparer.Ordinal);

    /// <summary>Tags with a round running or waiting; idle tags leave the table.</summary>
    internal int TagsInFlight => _tags.Count;

    /// <summary>
    /// Completes when a run of <paramref name="invalidate"/> for <paramref name="tag"/> that started after
    /// this call has finished (or faults with its error). The run itself is not cancelled with the caller:
    /// other callers may be waiting on it.
    /// </summary>
    public Task RunAsync(string tag, Func<Task> invalidate)
    {
        var rounds = _tags.GetOrAdd(tag, _ => new Rounds());
        Task joined;
        bool start;
        lock (rounds)
        {
            rounds.Pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            joined = rounds.Pending.Task;
            start = !rounds.Running;
            rounds.Running = true;
        }

        if (start)
        {
            _ = RunRoundsAsync(tag, rounds, invalidate);
        }

        return joined;
    }

    private async Task RunRoundsAsync(string tag, Rounds rounds, Func<Task> invalidate)
    {
        // Off the caller's thread: the first caller must not run every later round inline.
        await Task.Yield();
        while (true)
        {
            TaskCompletionSource round;
            lock (rounds)
            {
                if (rounds.Pending is null)
                {
                    rounds.Running = false;
                    // An idle tag leaves the table (product tags are many). A caller that found this instance
                    // just now starts it again; one that comes later makes a new one: at worst two rounds run
                    // side by side, which costs a Redis write, never an invalidation.
                    _tags.TryRemove(new KeyValuePair<string, Rounds>(tag, rounds));
                    return;
                }

                round = rounds.Pending;
                rounds.Pending = null;
            }

            try
            {
                await invalidate().ConfigureAwait(false);
                round.SetResult();
            }
            catch (Exception ex)
            {
                round.SetException(ex);
            }
        }
    }

    private sealed class Rounds
    {
        /// <summary>The round callers join now; it starts after they joined.</summary>
        public TaskCompletionSource? Pending { get; set; }

        public bool Running { get; set; }
    }
}
