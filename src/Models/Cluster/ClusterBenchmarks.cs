using System.Diagnostics;
using Sim.Core.Randomness;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.Workloads;

namespace Sim.Models.Cluster;

/// <summary>
/// The scale test of the cluster simulator, what <c>sim bench cluster</c> runs: 100,000 jobs on 4,096
/// GPUs (512 DGX A100 servers, leaf-spine fabric, 2:1 oversubscribed, 4 servers per leaf) over about a
/// simulated month (139 arrivals per hour, diurnal), ResNet-50 / BERT-large / VGG-16 training jobs
/// whose iteration times come from the roofline model and ring all-reduce on the fabric, rings sharing
/// links max-min fairly, Tiresias 2D-LAS with checkpoint/restore costs. Wall time, processor time and
/// peak memory are reported apart: on a shared machine processor time is the steadier figure.
/// </summary>
public static class ClusterBenchmarks
{
    /// <summary>One run: sizes, wall and processor time (all threads of the process), events, max-min
    /// solves, peak working set and the run's headline results.</summary>
    public sealed record Measurement(string Name, long Jobs, int Gpus, double SimulatedDays, double WallSeconds, double CpuSeconds,
        long Events, long NetworkSolves, long PeakWorkingSetBytes, double Utilisation, double MeanJctSeconds);

    /// <summary>Runs the standard workload (<paramref name="jobs"/> jobs; contention on or off) on 512
    /// <paramref name="node"/> servers (the benchmark's machine is DGX A100, HardwarePresets.DgxA100).</summary>
    public static Measurement Run(NodeSpec node, int jobs = 100_000, bool contention = true, ulong seed = 1)
    {
        const int nodes = 512;
        var fabric = new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 32, UplinksPerLeaf = 8, Oversubscription = 2 };
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var topology = ClusterTopology.Build(new ClusterSpec { Name = "bench", Node = node, NodeCount = nodes, Fabric = fabric });
        var device = node.Device;
        // Roofline efficiencies as in the training scenarios' defaults (inputs, not measurements).
        var compute = new RooflineCompute(device.PeakFlopsFor(Precision.Bf16), device.MemoryBandwidth, 0.5, 0.7, 0, device.Name);
        double alpha = topology.PathLatency(0, node.DevicesPerNode);
        var profiles = new (TrainingProfile, double)[]
        {
            (TrainingProfile.FromModel(ModelZoo.Get("resnet50"), compute, 64, 2, alpha), 3),
            (TrainingProfile.FromModel(ModelZoo.Get("bert_large"), compute, 8, 2, alpha), 2),
            (TrainingProfile.FromModel(ModelZoo.Get("vgg16"), compute, 32, 2, alpha), 1),
        };
        var stream = new SyntheticJobSource(new SyntheticJobSource.Options(
            ArrivalRate: jobs / (30 * 86_400.0),
            Gpus: Distributions.Parse("empirical(1, 1, 1, 1, 2, 2, 4, 8, 8, 16, 32, 64)"),
            Work: Distributions.Parse("lognormal(10.3, 1.5)"),
            MaxGpus: nodes * node.DevicesPerNode,
            DiurnalAmplitude: 0.5,
            Profiles: profiles,
            MaxJobs: jobs), seed);
        var sim = new ClusterSimulator(new GpuCluster(nodes, node.DevicesPerNode, fabric.LeafDownPorts / node.NicCount),
            SchedulerRegistry.Create("tiresias"),
            new ClusterSimulationOptions { CheckpointSeconds = 30, RestoreSeconds = 60 },
            new RingContention(topology, contention));
        var outcome = sim.Run(stream);
        double wall = clock.Elapsed.TotalSeconds;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        return new Measurement(contention ? "cluster, contention" : "cluster, no contention", outcome.Jobs.Count, nodes * node.DevicesPerNode,
            outcome.EndTime / 86_400, wall, (process.TotalProcessorTime - cpu).TotalSeconds, outcome.Events, outcome.NetworkSolves,
            process.PeakWorkingSet64, outcome.MeanUtilisation, outcome.MeanCompletionTime);
    }

    public static void Print(IEnumerable<Measurement> results, TextWriter output)
    {
        output.WriteLine($"{"workload",-24} {"jobs",8} {"GPUs",6} {"sim days",9} {"wall s",8} {"cpu s",8} {"events",9} {"solves",8} {"util",6} {"mean JCT h",10} {"peak MB",8}");
        foreach (var m in results)
            output.WriteLine($"{m.Name,-24} {m.Jobs,8} {m.Gpus,6} {m.SimulatedDays,9:F1} {m.WallSeconds,8:F1} {m.CpuSeconds,8:F1} {m.Events,9} {m.NetworkSolves,8} {m.Utilisation,6:F3} {m.MeanJctSeconds / 3600,10:F3} {m.PeakWorkingSetBytes / 1048576.0,8:F0}");
    }
}
