using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sim.Models.Dependability;

/// <summary>
/// CPU time consumed by the calling thread, in seconds, from clock_gettime(CLOCK_THREAD_CPUTIME_ID)
/// on Linux (nanosecond resolution). On a shared machine wall time counts the time a kernel waits
/// for a core (load averages of 30 on 2 cores were seen while measuring); thread CPU time counts only
/// the time it runs, which is what a dedicated aggregation core would spend. Elsewhere it falls
/// back to wall time and says so through <see cref="IsThreadCpuTime"/>.
/// </summary>
public static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID in <time.h> on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec value);

    /// <summary>Whether <see cref="Now"/> reads thread CPU time (false: wall time).</summary>
    public static bool IsThreadCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    private static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    public static double Now()
    {
        if (!IsThreadCpuTime) return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed after succeeding at start-up (a bug)");
        return t.Seconds + t.Nanoseconds * 1e-9;
    }
}
