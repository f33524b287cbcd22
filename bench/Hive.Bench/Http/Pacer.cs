using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Hive.Bench.Http;

/// <summary>
/// Waits until a <see cref="Stopwatch"/> timestamp without burning a core. The open loop used to sleep the bulk
/// with <c>Task.Delay</c> (about a millisecond coarse) and spin with <c>Task.Yield</c> until the slot; at 1,000
/// requests/s every slot is under 2 ms, so it spun all the time and took one of the machine's two cores from
/// the fleet it measured. On Linux the thread sleeps in <c>clock_nanosleep</c> on <c>CLOCK_MONOTONIC</c> (the
/// clock <see cref="Stopwatch"/> reads there, in nanoseconds) until the absolute time, waking within the
/// kernel's timer slack (50 µs by default). No .NET API sleeps below a millisecond, so this one call is
/// declared here. Elsewhere: sleep the bulk, spin the rest, as before.
/// </summary>
internal static partial class Pacer
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int Interrupted = 4;

    private static readonly bool Precise = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Returns at <paramref name="timestamp"/> or just after it; at once when it has passed.</summary>
    public static void SleepUntil(long timestamp)
    {
        if (Stopwatch.GetTimestamp() >= timestamp)
        {
            return;
        }

        if (Precise)
        {
            var until = new TimeSpec(timestamp / 1_000_000_000, timestamp % 1_000_000_000);
            while (ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, in until, IntPtr.Zero) == Interrupted)
            {
            }

            return;
        }

        var wait = timestamp - Stopwatch.GetTimestamp();
        if (wait > Stopwatch.Frequency / 500)
        {
            Thread.Sleep(TimeSpan.FromSeconds((wait - (Stopwatch.Frequency / 1000)) / (double)Stopwatch.Frequency));
        }

        while (Stopwatch.GetTimestamp() < timestamp)
        {
            Thread.SpinWait(20);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

    // Returns the error number itself (not -1 and errno).
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remaining);
}
