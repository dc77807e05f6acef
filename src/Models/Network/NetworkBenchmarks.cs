using System.Diagnostics;
using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// Scale workloads for the network backends, like a test track for a car: fixed courses driven
/// flat out, with the stopwatch, the fuel gauge (allocations) and the odometer (events) read at the
/// end. Workloads return their event count and a note so that a harness (the CLI's `sim bench
/// network`, bench/Sim.Bench) can time them; <see cref="RunAll"/> times them itself.
/// </summary>
public static class NetworkBenchmarks
{
    /// <summary>Traffic shapes for <see cref="ConcurrentFlows"/>.</summary>
    public enum FlowPattern
    {
        /// <summary>Every host sends the same bytes to its ring neighbour: one batched start, one batched end.</summary>
        RingStepUniform,
        /// <summary>Ring neighbours with sizes spread +-50%: n separate departures, each re-solving its small component.</summary>
        RingStepRandomSizes,
        /// <summary>A random permutation with random sizes on a 4:1 oversubscribed fabric: flows coupled across the core.</summary>
        RandomPermutation,
    }

    /// <summary>One timed workload: wall time of the run (topology build apart), kernel events,
    /// bytes allocated by the run and the process's peak working set so far.</summary>
    public sealed record Row(string Name, long Flows, double WallSeconds, double BuildSeconds, long Events, long AllocatedBytes,
        long PeakWorkingSetBytes, string Note)
    {
        public double EventsPerSecond => Events / WallSeconds;
    }

    /// <summary>A 3-level fat tree of <paramref name="hosts"/> GPUs with 32-port switch tiers and 25 GB/s (200 Gb/s) links.</summary>
    public static Topology FatTreeOf(int hosts, double oversubscription = 1) =>
        FatTree.ThreeLevel(hosts, 25e9, 0.6e-6, new FabricSpec { Kind = FabricKind.FatTree3, Oversubscription = oversubscription }, NodeKind.Gpu);

    /// <summary>One aggregated ring all-reduce of <paramref name="bytes"/> over every host of <paramref name="topology"/>.</summary>
    public static (long Events, string Note) RingAllReduce(Topology topology, double bytes)
    {
        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, topology);
        var ranks = new int[topology.EndpointCount];
        for (int i = 0; i < ranks.Length; i++) ranks[i] = i;
        var ring = new RingCollective(net, ranks, bytes, CollectiveKind.AllReduce);
        ring.Start(static _ => { }, 0);
        sim.Run();
        int p = ranks.Length;
        double busbw = BusBandwidth.Of(CollectiveKind.AllReduce, p, bytes, ring.Duration);
        return (sim.EventsProcessed, $"{p:N0} ranks, simulated {ring.Duration * 1e3:F3} ms, busbw {busbw / 1e9:F2} GB/s, {net.Recomputations} recomputations");
    }

    /// <summary>
    /// <paramref name="flows"/> concurrent transfers of about 64 MB each started at once on a fat tree of
    /// as many hosts, run to completion on the flow-level backend.
    /// </summary>
    public static (long Events, string Note) ConcurrentFlows(int flows, FlowPattern pattern, Topology? topology = null)
    {
        topology ??= FatTreeOf(flows, pattern == FlowPattern.RandomPermutation ? 4 : 1);
        var (sim, net) = StartFlows(flows, pattern, topology);
        sim.Run();
        return (sim.EventsProcessed, $"{net.Recomputations:N0} recomputations re-solving {net.FlowsResolved:N0} flows in all; end {sim.Now * 1e3:F3} ms");
    }

    private static (Simulation, FlowNetwork) StartFlows(int flows, FlowPattern pattern, Topology topology)
    {
        var sim = new Simulation(42);
        var net = new FlowNetwork(sim, topology);
        var rng = sim.Random("bench.flows");
        int hosts = topology.EndpointCount;
        int[] dst = new int[flows];
        if (pattern == FlowPattern.RandomPermutation)
        {
            var perm = new int[hosts];
            for (int i = 0; i < hosts; i++) perm[i] = i;
            for (int i = hosts - 1; i > 0; i--) { int j = rng.Next(i + 1); (perm[i], perm[j]) = (perm[j], perm[i]); }
            for (int f = 0; f < flows; f++) dst[f] = perm[f % hosts];
        }
        else for (int f = 0; f < flows; f++) dst[f] = (f % hosts + 1) % hosts;
        Action<long> ignore = static _ => { };
        for (int f = 0; f < flows; f++)
        {
            double bytes = pattern == FlowPattern.RingStepUniform ? 64e6 : 32e6 + rng.NextDouble() * 64e6;
            net.Transfer(bytes, f % hosts, dst[f], ignore, f);
        }
        return (sim, net);
    }

    /// <summary>
    /// The workloads untimed, for an external harness (the CLI's BenchHarness.Measure): each returns the
    /// kernel events it processed and a note. Topologies are built here, outside the timed part.
    /// </summary>
    public static IReadOnlyList<(string Name, string Unit, Func<(long Work, string? Note)> Run)> Workloads(int[]? flowCounts = null,
        int ringGpus = 100_000, double ringBytes = 1e8)
    {
        flowCounts ??= [1_000, 10_000, 100_000];
        var list = new List<(string, string, Func<(long, string?)>)>();
        var ringTopology = FatTreeOf(ringGpus);
        list.Add(($"ring all-reduce {ringBytes / 1e6:F0} MB, {ringGpus:N0} GPUs, 3-level fat tree", "events", () => RingAllReduce(ringTopology, ringBytes)));
        foreach (var pattern in Enum.GetValues<FlowPattern>())
            foreach (int n in flowCounts)
            {
                var t = FatTreeOf(n, pattern == FlowPattern.RandomPermutation ? 4 : 1);
                list.Add(($"{pattern}, {n:N0} concurrent flows", "events", () => ConcurrentFlows(n, pattern, t)));
            }
        return list;
    }

    /// <summary>Times every workload once at each size (a fresh process's first run includes JIT).</summary>
    public static IReadOnlyList<Row> RunAll(int[]? flowCounts = null, int ringGpus = 100_000, double ringBytes = 1e8, Action<Row>? progress = null)
    {
        flowCounts ??= [1_000, 10_000, 100_000];
        var rows = new List<Row>();
        void Add(Row r) { rows.Add(r); progress?.Invoke(r); }

        var (topology, build) = Timed(() => FatTreeOf(ringGpus));
        Add(Measure($"ring all-reduce {ringBytes / 1e6:F0} MB, {ringGpus:N0} GPUs, 3-level fat tree", ringGpus, build,
            () => RingAllReduce(topology, ringBytes)));
        foreach (var pattern in Enum.GetValues<FlowPattern>())
            foreach (int n in flowCounts)
            {
                var (t, b) = Timed(() => FatTreeOf(n, pattern == FlowPattern.RandomPermutation ? 4 : 1));
                Add(Measure($"{pattern}, {n:N0} flows", n, b, () => ConcurrentFlows(n, pattern, t)));
            }
        return rows;
    }

    private static (T, double) Timed<T>(Func<T> f)
    {
        var sw = Stopwatch.StartNew();
        var r = f();
        return (r, sw.Elapsed.TotalSeconds);
    }

    private static Row Measure(string name, long flows, double build, Func<(long Events, string Note)> run)
    {
        GC.Collect();
        long alloc = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var (events, note) = run();
        double wall = sw.Elapsed.TotalSeconds;
        alloc = GC.GetAllocatedBytesForCurrentThread() - alloc;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new Row(name, flows, wall, build, events, alloc, self.PeakWorkingSet64, note);
    }
}
