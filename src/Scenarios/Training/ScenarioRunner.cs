using Sim.Core;
using Sim.Core.Statistics;
using Sim.Core.Timeline;
using Sim.Models.Network;
using Sim.Models.ParameterServers;
using Sim.Models.Training;

namespace Sim.Scenarios.Training;

/// <summary>The outcome of running a scenario: one result per replication (see <see cref="RunMetrics"/> for
/// means and confidence intervals across them).</summary>
public sealed record RunOutcome(TrainingScenario Scenario, IReadOnlyList<TrainingResult> Replications, double WallSeconds)
{
    /// <summary>Strategy-specific tables of the first replication (pipeline: per-stage bubble and memory).</summary>
    public IReadOnlyList<Sim.Reports.ReportTable> Details { get; init; } = [];

    public TrainingResult First => Replications[0];
}

/// <summary>
/// Builds a scenario's world (topology, network backend, strategy) and runs it, once per replication
/// with seeds seed, seed + 1, ...; the first replication optionally records the timeline.
/// The library entry point for the CLI, sweeps and notebooks alike.
/// </summary>
public static class ScenarioRunner
{
    public static RunOutcome Run(TrainingScenario scenario, Stream? timeline = null, IProgress<int>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<TrainingResult>(scenario.Replications);
        IReadOnlyList<Sim.Reports.ReportTable> details = [];
        for (int r = 0; r < scenario.Replications; r++)
        {
            TimelineRecorder? recorder = r == 0 && timeline is not null ? new TimelineRecorder(timeline, scenario.TimelineMaxSpans) : null;
            try
            {
                results.Add(RunOnce(scenario, scenario.Seed + (ulong)r, recorder, out var d));
                if (r == 0) details = d;
            }
            finally { recorder?.Dispose(); }
            progress?.Report(r + 1);
        }
        return new RunOutcome(scenario, results, clock.Elapsed.TotalSeconds) { Details = details };
    }

    public static TrainingResult RunOnce(TrainingScenario s, ulong seed, TimelineRecorder? timeline = null) => RunOnce(s, seed, timeline, out _);

    public static TrainingResult RunOnce(TrainingScenario s, ulong seed, TimelineRecorder? timeline, out IReadOnlyList<Sim.Reports.ReportTable> details)
    {
        var sim = new Simulation(seed) { Timeline = timeline };
        details = [];
        if (s.Mode == "parameter_server") return RunParameterServer(s, sim);
        if (s.Mode == "pipeline") return RunPipeline(s, sim, out details);

        var topology = ClusterTopology.Build(s.Cluster);
        var ranks = Enumerable.Range(0, s.Workers).ToArray();
        var defended = Sim.Scenarios.Dependability.DefendedSync.Build(s, sim);
        INetwork? network = defended?.Network ?? s.Backend switch
        {
            "flow" => new FlowNetwork(sim, topology),
            "analytical" => new AnalyticalNetwork(sim, topology),
            _ => null,
        };
        IGradientSync sync = defended?.Sync ?? (network is null
            ? ClosedFormAllReduce.ForTopology(sim, topology, ranks, s.Collective, s.Cluster.Node.DevicesPerNode)
            : new CollectiveGradientSync(network, ranks, s.Collective, s.Cluster.Node.DevicesPerNode));
        var job = new SyncDataParallel(sim, s.DataParallel, s.Compute, sync);
        job.Start();
        sim.Run();
        var result = job.Result();
        return network is null ? result : result with { LinkUtilisation = LinkUtilisation(network, result.JobTime), NetworkTransfers = network.Counters.TransfersCompleted };
    }

    private static TrainingResult RunPipeline(TrainingScenario s, Simulation sim, out IReadOnlyList<Sim.Reports.ReportTable> details)
    {
        var topology = ClusterTopology.Build(s.Cluster);
        INetwork network = s.FlowNetwork ? new FlowNetwork(sim, topology) : new AnalyticalNetwork(sim, topology);
        var result = Sim.Models.Training.Pipeline.PipelineTraining.Run(sim, s.Pipeline!, s.Compute, network, s.Cluster.Node.DevicesPerNode, s.Cluster.Node.Device.MemoryBytes);
        var rows = result.Stages.Select(st => (IReadOnlyList<object?>)new object?[]
        {
            st.Stage, string.Join(" ", st.Layers.Select(l => $"{l.First}-{l.End - 1}")), st.ComputeSeconds, st.TensorCommunicationSeconds, st.BubbleSeconds, st.BubbleFraction,
            st.Memory.ParameterBytes / 1e9, st.Memory.GradientBytes / 1e9, st.Memory.OptimizerBytes / 1e9, st.Memory.ActivationBytes / 1e9, st.Memory.TotalBytes / 1e9,
            st.Memory.PeakInFlight, st.Memory.Fits ? "yes" : "NO",
        }).ToList();
        details = [new Sim.Reports.ReportTable("Pipeline stages (per GPU)",
            ["stage", "layers", "compute_s", "tensor_comm_s", "bubble_s", "bubble_fraction", "params_GB", "grads_GB", "optimizer_GB", "activations_GB", "total_GB", "in_flight", "fits"], rows)];
        var training = result.Training;
        return training with { LinkUtilisation = LinkUtilisation(network, training.JobTime), NetworkTransfers = network.Counters.TransfersCompleted };
    }

    private static TrainingResult RunParameterServer(TrainingScenario s, Simulation sim)
    {
        var cfg = s.ParameterServer!;
        var node = s.Cluster.Node;
        // Each GPU worker gets its share of the server's NICs.
        double workerBandwidth = node.NicBandwidth * node.NicCount / node.DevicesPerNode;
        var topology = SingleSwitch.Star(cfg.Workers, cfg.Servers, workerBandwidth, s.ServerBandwidth, node.NicLatency);
        INetwork network = s.FlowNetwork ? new FlowNetwork(sim, topology) : new AnalyticalNetwork(sim, topology);
        var group = new ParameterServerGroup(network, Enumerable.Range(0, cfg.Workers).ToArray(),
            Enumerable.Range(cfg.Workers, cfg.Servers).ToArray(), ParameterServerTraining.ShardModel(cfg), cfg.AggregationBytesPerSecond);
        var job = new ParameterServerTraining(sim, cfg, s.Compute, group);
        job.Start();
        sim.Run();
        var result = job.Result();
        return result with { LinkUtilisation = LinkUtilisation(network, result.JobTime) };
    }

    /// <summary>Mean utilisation of the links that carried traffic, and of the busiest one.</summary>
    private static IReadOnlyDictionary<string, double> LinkUtilisation(INetwork network, double elapsed)
    {
        var topology = network.Topology;
        var bytes = network.Counters.LinkBytes;
        double sum = 0, busiest = 0;
        int used = 0, busiestLink = -1;
        for (int l = 0; l < topology.LinkCount; l++)
        {
            if (bytes[l] <= 0) continue;
            double u = network.Counters.Utilisation(topology, l, elapsed);
            sum += u;
            used++;
            if (u > busiest) { busiest = u; busiestLink = l; }
        }
        var map = new Dictionary<string, double> { ["mean of links used"] = used == 0 ? 0 : sum / used };
        if (busiestLink >= 0) map[$"busiest link ({topology.LinkName(busiestLink)})"] = busiest;
        return map;
    }
}
