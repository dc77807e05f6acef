using Sim.Core;
using Sim.Core.Statistics;
using Sim.Core.Timeline;
using Sim.Models.Network;
using Sim.Models.Training;

namespace Sim.Scenarios.Training;

/// <summary>The outcome of running a scenario: one result per replication (see <see cref="RunMetrics"/> for
/// means and confidence intervals across them).</summary>
public sealed record RunOutcome(TrainingScenario Scenario, IReadOnlyList<TrainingResult> Replications, double WallSeconds)
{
    /// <summary>The same job on one GPU, for scaling efficiency; null where the mode has none.</summary>
    public TrainingResult? SingleGpu { get; init; }

    /// <summary>Strategy-specific tables of the first replication (pipeline: per-stage bubble and memory).</summary>
    public IReadOnlyList<Sim.Reports.ReportTable> Details { get; init; } = [];

    public TrainingResult First => Replications[0];
}

/// <summary>
/// Builds a scenario's world (topology, network backend, strategy) and runs it, once per replication
/// with seeds seed, seed + 1, ...; the first replication optionally records the timeline. Then the
/// single-GPU baseline, so that the outcome is complete before anything is written.
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
        double wall = clock.Elapsed.TotalSeconds;
        return new RunOutcome(scenario, results, wall) { Details = details, SingleGpu = scenario.Mode.SingleGpuBaseline(scenario) };
    }

    public static TrainingResult RunOnce(TrainingScenario s, ulong seed, TimelineRecorder? timeline = null) => RunOnce(s, seed, timeline, out _);

    /// <summary>One replication on seed <paramref name="seed"/>: the mode builds network and job, the job
    /// runs to its end, and the network's link utilisation and transfer count join the result.</summary>
    public static TrainingResult RunOnce(TrainingScenario s, ulong seed, TimelineRecorder? timeline, out IReadOnlyList<Sim.Reports.ReportTable> details)
    {
        var sim = new Simulation(seed) { Timeline = timeline };
        var run = s.Mode.Build(s, sim);
        var result = TrainingJob.RunToEnd(sim, run.Job);
        details = run.Details();
        if (run.Network is not { } network) return result;
        return result with
        {
            LinkUtilisation = LinkUtilisation(network, result.JobTime),
            NetworkTransfers = run.ReportsTransferCount ? network.Counters.TransfersCompleted : result.NetworkTransfers,
        };
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
