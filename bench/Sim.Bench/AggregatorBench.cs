using Sim.Models.Dependability;

namespace Sim.Bench;

/// <summary>
/// Times every aggregation rule and pre-aggregation step over a grid of n and d with the real C#
/// kernels, and prints the points as C# initialisers for MeasuredAggregatorTimings.cs plus a CSV.
/// Usage: dotnet run -c Release --project bench/Sim.Bench -- aggregators [maxWorkers] [maxDimension]
/// </summary>
public static class AggregatorBench
{
    public static void Run(string[] args)
    {
        int maxN = args.Length > 1 ? int.Parse(args[1]) : 64;
        int maxD = args.Length > 2 ? int.Parse(args[2]) : 1_000_000;
        int[] ns = [8, 16, 32, 64, 128, 256, 512];
        int[] ds = [100_000, 300_000, 1_000_000, 3_000_000, 10_000_000];
        var rules = AggregatorRegistry.Aggregators.Select(a => a.Name).Concat(AggregatorRegistry.PreAggregators.Select(p => p.Name)).ToArray();
        Console.WriteLine($"# machine: {Environment.MachineName}, {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, Vector<float>.Count = {System.Numerics.Vector<float>.Count}, thread CPU clock: {ThreadCpuClock.IsThreadCpuTime}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        foreach (var rule in rules)
            foreach (int n in ns.Where(n => n <= maxN))
                foreach (int d in ds.Where(d => d <= maxD))
                {
                    // Keep each measurement under ~512 MB of gradients.
                    if ((long)n * d > 128_000_000) continue;
                    var p = AggregatorTiming.Measure(rule, n, d);
                    Console.WriteLine($"        new(\"{p.Rule}\", {p.Workers}, {p.Dimension}, {p.Seconds:g6}, {p.Iterations}, {p.WallSeconds:g6}),");
                }
    }
}
