using Sim.Models.Training;

namespace Sim.Scenarios.Training;

/// <summary>
/// The named numbers a run reports, used by summary.json, sweeps (one CSV column each) and
/// <c>sim compare</c>: means over replications, with 95% confidence half-widths when there are 2 or more.
/// </summary>
public static class RunMetrics
{
    public static IReadOnlyList<KeyValuePair<string, double>> Of(RunOutcome outcome, TrainingResult? singleGpu = null)
    {
        var list = new List<KeyValuePair<string, double>>();
        void Add(string name, Func<TrainingResult, double> metric, bool interval = false)
        {
            double mean = outcome.Replications.Average(metric);
            list.Add(new(name, mean));
            if (interval && outcome.Interval(metric) is { } ci) list.Add(new(name + "_ci95", ci.HalfWidth));
        }
        Add("iteration_mean_s", r => r.MeanIterationTime, interval: true);
        Add("iteration_p50_s", r => r.P50);
        Add("iteration_p90_s", r => r.P90);
        Add("iteration_p99_s", r => r.P99, interval: true);
        Add("samples_per_s", r => r.SamplesPerSecond, interval: true);
        Add("tokens_per_s", r => r.TokensPerSecond);
        Add("tflops_per_gpu", r => r.TflopsPerGpu);
        Add("mfu", r => r.Mfu);
        Add("job_time_s", r => r.JobTime, interval: true);
        Add("goodput", r => r.Goodput);
        Add("gpu_utilisation", r => r.GpuUtilisation);
        foreach (var (part, _) in outcome.First.Breakdown.Parts())
            Add("fraction_" + part.Replace(' ', '_'), r => r.Breakdown.Parts().First(p => p.Part == part).Seconds / r.JobTime);
        Add("failures", r => r.Failures);
        Add("checkpoints", r => r.Checkpoints);
        Add("staleness_mean", r => r.MeanStaleness);
        foreach (var key in outcome.First.LinkUtilisation.Keys.Where(k => k.StartsWith("mean", StringComparison.Ordinal)))
            Add("link_utilisation_mean", r => r.LinkUtilisation.TryGetValue(key, out var v) ? v : 0);
        Add("link_utilisation_max", r => r.LinkUtilisation.Where(kv => kv.Key.StartsWith("busiest", StringComparison.Ordinal)).Select(kv => kv.Value).DefaultIfEmpty(0).Max());
        if (singleGpu is not null) Add("scaling_efficiency", r => r.ScalingEfficiency(singleGpu));
        Add("kernel_events", r => r.KernelEvents);
        list.Add(new("wall_s", outcome.WallSeconds));
        return list;
    }
}
