using Sim.Models.Network;

namespace Sim.Bench;

/// <summary>
/// The network scale checks (100,000-GPU ring all-reduce; 1k/10k/100k concurrent flows) as a plain
/// stopwatch run: `dotnet run -c Release --project bench/Sim.Bench -- network`. These are whole
/// workloads of seconds each, so BenchmarkDotNet's many-iteration protocol is not used for them.
/// </summary>
public static class NetworkScaleBench
{
    public static void Run()
    {
        Console.WriteLine($"{"workload",-62} {"wall s",8} {"build s",8} {"events",12} {"events/s",12} {"alloc MB",9} {"peak MB",8}  note");
        NetworkBenchmarks.RunAll(progress: r => Console.WriteLine(
            $"{r.Name,-62} {r.WallSeconds,8:F3} {r.BuildSeconds,8:F3} {r.Events,12:N0} {r.EventsPerSecond,12:N0} {r.AllocatedBytes / 1048576.0,9:F1} {r.PeakWorkingSetBytes / 1048576.0,8:F0}  {r.Note}"));
    }
}
