using Sim.Scenarios;
using Sim.Models.Training;

namespace Sim.Scenarios.Training;

/// <summary>
/// The named numbers a run reports, used by summary.json, sweeps (one CSV column each) and
/// <c>sim compare</c>: means over replications, with 95% confidence half-widths when there are 2 or more.
/// </summary>
public static class RunMetrics
{
    /// <summary>The metrics of <paramref name="outcome"/>; scaling efficiency against <paramref name="singleGpu"/>,
    /// by default the outcome's own baseline.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Of(RunOutcome outcome, TrainingResult? singleGpu = null)
    {
        singleGpu ??= outcome.SingleGpu;
        var m = new ReplicatedMetrics<TrainingResult>(outcome.Replications);
        m.Add("iteration_mean_s", r => r.MeanIterationTime, interval: true);
        m.Add("iteration_p50_s", r => r.P50);
        m.Add("iteration_p90_s", r => r.P90);
        m.Add("iteration_p99_s", r => r.P99, interval: true);
        m.Add("samples_per_s", r => r.SamplesPerSecond, interval: true);
        m.Add("tokens_per_s", r => r.TokensPerSecond);
        m.Add("tflops_per_gpu", r => r.TflopsPerGpu);
        m.Add("mfu", r => r.Mfu);
        m.Add("job_time_s", r => r.JobTime, interval: true);
        m.Add("goodput", r => r.Goodput);
        m.Add("gpu_utilisation", r => r.GpuUtilisation);
        foreach (var (part, _) in outcome.First.Breakdown.Parts())
            m.Add("fraction_" + part.Replace(' ', '_'), r => r.Breakdown.Parts().First(p => p.Part == part).Seconds / r.JobTime);
        m.Add("failures", r => r.Failures);
        m.Add("checkpoints", r => r.Checkpoints);
        m.Add("staleness_mean", r => r.MeanStaleness);
        foreach (var key in outcome.First.LinkUtilisation.Keys.Where(k => k.StartsWith("mean", StringComparison.Ordinal)))
            m.Add("link_utilisation_mean", r => r.LinkUtilisation.TryGetValue(key, out var v) ? v : 0);
        m.Add("link_utilisation_max", r => r.LinkUtilisation.Where(kv => kv.Key.StartsWith("busiest", StringComparison.Ordinal)).Select(kv => kv.Value).DefaultIfEmpty(0).Max());
        if (singleGpu is not null) m.Add("scaling_efficiency", r => r.ScalingEfficiency(singleGpu));
        m.Add("kernel_events", r => r.KernelEvents);
        m.Add("network_transfers", r => r.NetworkTransfers);
        m.AddValue("wall_s", outcome.WallSeconds);
        return m.Metrics;
    }
}
