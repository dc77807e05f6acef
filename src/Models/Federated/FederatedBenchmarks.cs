using System.Diagnostics;

namespace Sim.Models.Federated;

/// <summary>
/// The stress test for population-scale federated simulation, what <c>sim bench federated</c> runs:
/// a million synthetic phones with diurnal availability, a thousand clients aggregated per round with
/// 30% over-commitment, a thousand rounds (and the FedBuff counterpart), timing population generation
/// and simulation apart and reporting kernel events per second and peak memory.
/// </summary>
public static class FederatedBenchmarks
{
    /// <summary>One measured workload.</summary>
    /// <param name="SimulateCpuSeconds">Processor time of the simulation: on a shared machine a steadier
    /// figure than wall time.</param>
    public sealed record Measurement(string Name, int Clients, double GenerateSeconds, double SimulateSeconds,
        double SimulateCpuSeconds, long Events, long AllocatedBytes, long SimulateAllocatedBytes, long PeakWorkingSetBytes, FederatedResult Result)
    {
        public double EventsPerSecond => Events / SimulateSeconds;
        public double WallSeconds => GenerateSeconds + SimulateSeconds;
    }

    /// <summary>The benchmark's sync configuration: K clients per round, 30% over-commit (Bonawitz et al.
    /// 2019), a 20 MB model, 10 Gbit/s server NIC, 10-minute deadline, training starting at 20:00.</summary>
    public static FederatedConfig SyncConfig(int clientsPerRound, int rounds) => new()
    {
        Mode = AggregationMode.Sync,
        Rounds = rounds,
        ClientsPerRound = clientsPerRound,
        OverCommit = 0.3,
        DeadlineSeconds = 600,
        ModelBytes = 20e6,
        ServerDownlinkGbps = 10,
        ServerUplinkGbps = 10,
        AggregationSecondsPerUpdate = 0.002,
        AggregatorCores = 4,
        StartTimeSeconds = 20 * 3600,
        AccuracyCurve = [(0, 0.1), (200, 0.6), (600, 0.75), (1000, 0.8)],
        TargetAccuracy = 0.7,
    };

    /// <summary>The FedBuff counterpart: concurrency C = K(1+o), buffer B = K/10 (a choice of this
    /// benchmark, not a recommendation); with 10x the versions it folds as many updates as
    /// the sync run aggregates.</summary>
    public static FederatedConfig AsyncConfig(int clientsPerRound, int versions) => SyncConfig(clientsPerRound, versions) with
    {
        Mode = AggregationMode.Async,
        AccuracyCurve = [(0, 0.1), (2000, 0.6), (6000, 0.75), (10000, 0.8)],
        Concurrency = (int)Math.Ceiling(clientsPerRound * 1.3),
        BufferSize = Math.Max(1, clientsPerRound / 10),
    };

    public static Measurement Measure(string name, FederatedConfig config, int clients, ulong seed = 1)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var population = SyntheticPopulation.Generate(new PopulationSpec(), clients, seed);
        double generate = sw.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long simAllocBefore = GC.GetAllocatedBytesForCurrentThread();
        sw.Restart();
        var result = FederatedSimulation.Run(config, population, seed);
        double simulate = sw.Elapsed.TotalSeconds;
        long simAllocated = GC.GetAllocatedBytesForCurrentThread() - simAllocBefore;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        return new Measurement(name, clients, generate, simulate, cpu, result.Events, allocated, simAllocated, process.PeakWorkingSet64, result);
    }

    /// <summary>The standard pair: 1,000,000 clients, 1,000 per round, 1,000 rounds, sync then async.</summary>
    public static IReadOnlyList<Measurement> RunStandard(int clients = 1_000_000, int clientsPerRound = 1_000, int rounds = 1_000, ulong seed = 1) =>
    [
        Measure($"sync FedAvg, {clients:N0} clients, K={clientsPerRound:N0}, {rounds:N0} rounds", SyncConfig(clientsPerRound, rounds), clients, seed),
        Measure($"async FedBuff, {clients:N0} clients, C={(int)Math.Ceiling(clientsPerRound * 1.3):N0}, B={Math.Max(1, clientsPerRound / 10):N0}, {10 * rounds:N0} versions",
            AsyncConfig(clientsPerRound, 10 * rounds), clients, seed),
    ];

    /// <summary>Prints the measurements as a small table.</summary>
    public static void Print(IEnumerable<Measurement> measurements, TextWriter output)
    {
        foreach (var m in measurements)
        {
            output.WriteLine(m.Name);
            output.WriteLine($"  wall {m.WallSeconds:F2} s (population {m.GenerateSeconds:F2} s + simulation {m.SimulateSeconds:F2} s, {m.SimulateCpuSeconds:F2} s CPU), " +
                             $"{m.Events:N0} events, {m.EventsPerSecond / 1e6:F2} M events/s, peak working set {m.PeakWorkingSetBytes / 1048576.0:F0} MiB, " +
                             $"allocated {m.AllocatedBytes / 1048576.0:F0} MiB ({m.SimulateAllocatedBytes / 1048576.0:F0} MiB in the simulation, {(double)m.SimulateAllocatedBytes / m.Events:F1} B/event)");
            output.WriteLine($"  {m.Result}");
        }
    }
}
