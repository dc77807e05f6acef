using System.Diagnostics;

namespace Sim.Cli.Benchmarking;

/// <summary>
/// A stopwatch protocol for whole-workload benchmarks: the first run in a fresh process (JIT and tiered
/// compilation included, what a user of a short CLI run sees) is reported apart from warmed-up runs,
/// whose median is quoted because this machine is shared and noisy.
/// </summary>
public static class BenchHarness
{
    public sealed record Measurement(string Name, long Work, string WorkUnit, double FirstSeconds, double MedianSeconds,
        double MinSeconds, int Runs, double AllocatedBytesPerUnit, long PeakWorkingSetBytes, string? Note)
    {
        public double FirstRate => Work / FirstSeconds;
        public double WarmRate => Work / MedianSeconds;
    }

    /// <summary>Runs <paramref name="workload"/> once cold and <paramref name="warmRuns"/> times warm.
    /// The workload returns the amount of work done (events, customers...) and an optional note.</summary>
    public static Measurement Measure(string name, string unit, Func<(long Work, string? Note)> workload, int warmRuns = 5)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var (work, note) = workload();
        double first = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        var warm = new List<double>();
        for (int i = 0; i < warmRuns; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            sw.Restart();
            (work, note) = workload();
            warm.Add(sw.Elapsed.TotalSeconds);
        }
        warm.Sort();
        double median = warm.Count == 0 ? first : warm.Count % 2 == 1 ? warm[warm.Count / 2] : (warm[warm.Count / 2 - 1] + warm[warm.Count / 2]) / 2;
        double min = warm.Count == 0 ? first : warm[0];
        Process.GetCurrentProcess().Refresh();
        return new Measurement(name, work, unit, first, median, min, warm.Count, (double)allocated / Math.Max(1, work),
            Process.GetCurrentProcess().PeakWorkingSet64, note);
    }
}
