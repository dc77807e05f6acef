using Sim.Models.Dependability;

namespace Sim.Bench;

/// <summary>
/// Times the gradient-coding and replication decoders over a grid of n, tolerance and d with the real C#
/// code, and prints the points as C# initialisers for MeasuredDecodingTimings.cs.
/// Usage: dotnet run -c Release --project bench/Sim.Bench -- decoding
/// </summary>
public static class DecodingBench
{
    public static void Run()
    {
        Console.WriteLine($"# machine: {Environment.MachineName}, {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, thread CPU clock: {ThreadCpuClock.IsThreadCpuTime}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        int[] ds = [100_000, 300_000, 1_000_000];
        foreach (var (scheme, n, t) in new (string, int, int)[]
        {
            ("cyclic", 8, 1), ("cyclic", 16, 2), ("cyclic", 32, 4), ("cyclic", 64, 4),
            ("fractional", 8, 1), ("fractional", 16, 3), ("fractional", 32, 3), ("fractional", 64, 7),
            ("replication", 9, 3), ("replication", 15, 3), ("replication", 33, 3), ("replication", 63, 3),
        })
            foreach (int d in ds)
            {
                var p = DecodingTiming.Measure(scheme, n, t, d);
                Console.WriteLine($"        new(\"{p.Scheme}\", {p.Workers}, {p.Tolerance}, {p.Dimension}, {p.Seconds:g6}),");
            }
    }
}
