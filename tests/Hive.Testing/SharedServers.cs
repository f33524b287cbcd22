using System.Globalization;
using System.Text.Json;

namespace Hive.Testing;

/// <summary>
/// Servers kept running between test processes, for mutation testing: Stryker runs a project's tests once per
/// mutant, and starting RabbitMQ, PostgreSQL and Redis (and building seeded databases) each time cost more than
/// the tests. Off unless <c>HIVE_TEST_SHARED_SERVERS</c> names a folder (scripts/mutation.sh sets it); normal
/// test runs start their own servers as before.
/// </summary>
/// <remarks>
/// A fixture takes the first server of its kind (<c>redis-cache-0</c>, <c>postgres-1</c>, ...) that no other fixture
/// of this or another running test process holds, so fixtures running side by side never share a server. A server a
/// previous process left is taken over after it is reset (Redis flushed, databases dropped but the templates,
/// the RabbitMQ virtual host made anew), so a test sees what it would see on a server of its own. Shared servers
/// run detached from the test process and stop with the process named by <c>HIVE_TEST_SHARED_OWNER</c>
/// (infra/with-parent.sh), or with this process when none is named.
/// </remarks>
public static class SharedServers
{
    private static readonly Dictionary<string, SortedSet<int>> Taken = new();

    /// <summary>The folder holding shared servers' records and data, or null when servers are not shared.</summary>
    public static string? Directory
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("HIVE_TEST_SHARED_SERVERS");
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
    }

    /// <summary>The process whose end stops shared servers.</summary>
    public static int Owner =>
        int.TryParse(Environment.GetEnvironmentVariable("HIVE_TEST_SHARED_OWNER"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : Environment.ProcessId;

    internal static Slot Take(string directory, string kind)
    {
        // The lowest free index: free in this process (fixtures side by side) and not held by another test
        // process (Stryker may run several at once). A lock file held open marks a slot taken; the system
        // lets go of it when a process ends, however it ends.
        lock (Taken)
        {
            if (!Taken.TryGetValue(kind, out var taken))
            {
                Taken[kind] = taken = [];
            }

            for (var index = 0; ; index++)
            {
                if (taken.Contains(index))
                {
                    continue;
                }

                var name = $"{kind}-{index.ToString(CultureInfo.InvariantCulture)}";
                FileStream hold;
                try
                {
                    hold = new FileStream(Path.Combine(directory, name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException)
                {
                    continue;
                }

                taken.Add(index);
                return new Slot(kind, index, Path.Combine(directory, name), Path.Combine(directory, name + ".json"), hold);
            }
        }
    }

    internal static void Release(Slot slot)
    {
        lock (Taken)
        {
            slot.Hold.Dispose();
            Taken[slot.Kind].Remove(slot.Index);
        }
    }

    internal sealed record Slot(string Kind, int Index, string DataDirectory, string RecordPath, FileStream Hold)
    {
        public string LogPath => DataDirectory + ".log";

        public string PidPath => DataDirectory + ".pid";

        public Record? Read()
        {
            try
            {
                return JsonSerializer.Deserialize<Record>(File.ReadAllText(RecordPath));
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public void Write(Record record)
        {
            var temporary = RecordPath + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(record));
            File.Move(temporary, RecordPath, overwrite: true);
        }

        public void Forget() => File.Delete(RecordPath);
    }

    /// <summary>A running shared server: its port, the arguments it was started with, and the pid that stops it.</summary>
    internal sealed record Record(int Port, int Pid, IReadOnlyList<string> Arguments);
}
