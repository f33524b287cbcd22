namespace Hive.Testing;

/// <summary>Waits for a condition with a deadline instead of sleeping a guessed time.</summary>
public static class Eventually
{
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        Exception? error = null;
        do
        {
            try
            {
                last = await attempt();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex)
            {
                error = ex;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#} s: {because}. {error?.Message}");
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
        => SucceedsAsync(condition, ok => ok, timeout, because);
}
