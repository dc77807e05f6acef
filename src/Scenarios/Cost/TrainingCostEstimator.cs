using Sim.Scenarios.Training;

namespace Sim.Scenarios.Cost;

/// <summary>
/// Estimates a training scenario's cost from its sizes before any simulation: GPUs (topology and
/// network state), iterations x replications (kept results, CSV and report), and events per
/// iteration as the training mode estimates it (buckets for data parallel, micro-batches x stages for
/// pipelines, workers x servers for parameter servers) and per-unit rates the network backend states. An order of magnitude, rounded up; the process
/// watchdog reports a run that outgrows it ten times.
/// </summary>
public static class TrainingCostEstimator
{
    public static RunCost Estimate(TrainingScenario s)
    {
        double gpus = s.Cluster.DeviceCount;
        double replications = s.Replications;
        double iterations = s.DataParallel.Iterations;
        var dp = s.DataParallel;
        double gradientBytes = (double)s.Model.Parameters * dp.GradientBytesPerParameter;
        double buckets = Math.Ceiling(gradientBytes / Math.Max(1, dp.BucketCapBytes)) + 1;

        var (eventsPerIteration, driver) = s.Mode.EstimateIteration(s, buckets);
        var rates = s.Backend.CostRates;
        double events = replications * (iterations * eventsPerIteration + 10 * gpus);
        double memory = CostRates.BaselineBytes
            + gpus * rates.BytesPerGpu
            + replications * iterations * CostRates.BytesPerIteration
            + (s.WriteReport ? replications * iterations * CostRates.ReportBytesPerIteration : 0);
        double seconds = events / rates.EventsPerSecond;
        return new RunCost(events, memory, seconds, driver);
    }
}
