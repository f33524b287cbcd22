using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Hive.IntegrationTests;

/// <summary>
/// The fleet's console output, kept while the fleet runs so a failing test can explain itself: every
/// Warning-and-above line of every resource instance (replicas apart), and the last lines of each, shown
/// for the instances that stopped or turned unhealthy.
/// </summary>
public sealed partial class FleetLog : IAsyncDisposable
{
    private const int LastLinesKept = 40;
    private const int WarningsKept = 2_000;

    private readonly ConcurrentDictionary<string, Tail> _tails = new();
    private readonly ConcurrentQueue<Entry> _warnings = new();
    private readonly ConcurrentQueue<string> _notes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];
    private long _sequence;

    private FleetLog()
    {
    }

    /// <summary>Starts following every resource instance of <paramref name="app"/> as it appears.</summary>
    public static FleetLog Follow(DistributedApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = new FleetLog();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        log._watchers.Add(Task.Run(() => log.DiscoverAsync(app.ResourceNotifications, loggers)));
        return log;
    }

    /// <summary>A position in the log: what a test's <see cref="WarningsSince"/> starts from.</summary>
    public long Mark => Interlocked.Read(ref _sequence);

    /// <summary>Warning, error and critical lines written after <paramref name="mark"/>, oldest first.</summary>
    public IReadOnlyList<string> WarningsSince(long mark)
        => _warnings.Where(entry => entry.Sequence > mark).Select(entry => $"[{entry.Resource}] {entry.Text}").ToList();

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a line of instance <paramref name="id"/> that contains
    /// <paramref name="text"/> (an instance's last lines can arrive after its state says it exited); null when none came.
    /// </summary>
    public async Task<string?> WaitForLineAsync(string id, string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_tails.TryGetValue(id, out var tail) && tail.Lines().FirstOrDefault(line => line.Contains(text, StringComparison.OrdinalIgnoreCase)) is { } line)
            {
                return line;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Records something the harness did to the fleet (for example starting an instance again); every explanation shows it.</summary>
    public void Note(string id, string text) => _notes.Enqueue($"[{id}] {text}");

    /// <summary>What the harness did to the fleet, oldest first.</summary>
    public IReadOnlyList<string> Notes => [.. _notes];

    /// <summary>The last lines of one resource instance (for example <c>catalog-abcd1234</c>) or of every instance of a resource.</summary>
    public string LastLines(string resource)
    {
        var text = new StringBuilder();
        foreach (var (id, tail) in _tails.Where(pair => pair.Key == resource || pair.Key.StartsWith(resource + "-", StringComparison.Ordinal)).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"--- last lines of {id} ---");
            foreach (var line in tail.Lines())
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the warnings since <paramref name="mark"/> and the last lines of every instance not running healthy.</summary>
    public void WriteTo(ITestOutputHelper output, long mark, IEnumerable<string> troubledResources)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var note in _notes)
        {
            output.WriteLine("--- the harness: " + note);
        }

        var warnings = WarningsSince(mark);
        if (warnings.Count > 0)
        {
            output.WriteLine($"--- fleet warnings during this test ({warnings.Count}) ---");
            foreach (var line in warnings.TakeLast(200))
            {
                output.WriteLine(line);
            }
        }

        foreach (var resource in troubledResources)
        {
            output.WriteLine(LastLines(resource));
        }
    }

    private async Task DiscoverAsync(ResourceNotificationService notifications, ResourceLoggerService loggers)
    {
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(_stop.Token))
            {
                var id = resourceEvent.ResourceId;
                if (_tails.TryAdd(id, new Tail()))
                {
                    lock (_watchers)
                    {
                        _watchers.Add(Task.Run(() => FollowAsync(loggers, id)));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FollowAsync(ResourceLoggerService loggers, string id)
    {
        var tail = _tails[id];
        try
        {
            await foreach (var batch in loggers.WatchAsync(id).WithCancellation(_stop.Token))
            {
                foreach (var line in batch)
                {
                    var text = Colours().Replace(line.Content, string.Empty);
                    tail.Add(text);
                    if (line.IsErrorMessage || Severe().IsMatch(text))
                    {
                        _warnings.Enqueue(new Entry(Interlocked.Increment(ref _sequence), id, text));
                        while (_warnings.Count > WarningsKept && _warnings.TryDequeue(out _))
                        {
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] watchers;
        lock (_watchers)
        {
            watchers = [.. _watchers];
        }

        await Task.WhenAll(watchers);
        _stop.Dispose();
    }

    // The console logger's level prefixes ("warn: ", "fail: ", "crit: "), after the timestamp DCP adds.
    [GeneratedRegex(@"^(\S+\s)?(warn|fail|crit):\s", RegexOptions.CultureInvariant)]
    private static partial Regex Severe();

    // ANSI colour codes the console logger writes around the level.
    [GeneratedRegex(@"\x1B\[[0-9;]*m", RegexOptions.CultureInvariant)]
    private static partial Regex Colours();

    private sealed record Entry(long Sequence, string Resource, string Text);

    /// <summary>A bounded ring of one instance's last lines.</summary>
    private sealed class Tail
    {
        private readonly Queue<string> _lines = new(LastLinesKept);

        public void Add(string line)
        {
            lock (_lines)
            {
                if (_lines.Count == LastLinesKept)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
            }
        }

        public string[] Lines()
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }
}
