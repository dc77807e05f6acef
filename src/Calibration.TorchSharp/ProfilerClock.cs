using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// The clock kernels and steps are timed with. With one torch thread on the CPU, LibTorch runs every kernel
/// (forward and, for CPU tensors, autograd's backward) on the calling thread, so that thread's CPU time is
/// the duration the work takes on a core of its own: time while another process holds the core is not
/// counted, and neither is the .NET runtime's own work on other threads (GC, JIT) that the process CPU time
/// would include. That makes measurements on a shared machine match an idle one. With several threads,
/// work overlaps outside one timeline and wall time (Stopwatch) is the only honest clock.
/// </summary>
internal sealed class ProfilerClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID, Linux <time.h>

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>"thread_cpu" or "wall", as measurement files name it.</summary>
    public string Name { get; }

    private ProfilerClock(string name) => Name = name;

    /// <summary>Thread CPU time for one torch thread on Linux, wall time otherwise.</summary>
    public static ProfilerClock For(int torchThreads)
    {
        if (torchThreads == 1 && OperatingSystem.IsLinux())
        {
            try
            {
                if (ClockGetTime(ClockThreadCpuTimeId, out _) == 0) return new ProfilerClock("thread_cpu");
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        return new ProfilerClock("wall");
    }

    /// <summary>Seconds on this clock (an arbitrary origin; only differences mean anything).</summary>
    public double Now()
    {
        if (Name == "thread_cpu")
        {
            // For() proved the call works on this system; a failure now would be a kernel bug, not a condition to handle.
            if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
            return t.Seconds + t.Nanoseconds * 1e-9;
        }
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    /// <summary>One sample: the shortest of three back-to-back timings of <paramref name="run"/>. Another process
    /// sharing the core can only add time (evicting caches, interrupting), never remove it, so the shortest of a
    /// few runs is the work itself; the median over such samples then guards against a run that was too short
    /// (none can be) and a burst that hit all three.</summary>
    public double BestOfThree(Action run)
    {
        double best = double.PositiveInfinity;
        for (int k = 0; k < 3; k++)
        {
            double t0 = Now();
            run();
            best = Math.Min(best, Now() - t0);
        }
        return best;
    }
}
