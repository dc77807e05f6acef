using Sim.Scenarios.Training;

namespace Sim.Scenarios.Cost;

/// <summary>
/// Estimates a training scenario's cost from its sizes before any simulation: GPUs (topology and
/// network state), iterations x replications (kept results, CSV and report), and events per
/// iteration by strategy (buckets for data parallel, micro-batches x stages for pipelines,
/// workers x servers for parameter servers). An order of magnitude, rounded up; the process
/// watchdog reports a run that outgrows it ten times.
/// </summary>
public static class TrainingCostEstimator
{
    public static RunCost Estimate(TrainingScenario s)
    {
        double gpus = s.Cluster.DeviceCount;
        double workers = s.Workers;
        double replications = s.Replications;
        double iterations = s.DataParallel.Iterations;
        var dp = s.DataParallel;
        double gradientBytes = (double)s.Model.Parameters * dp.GradientBytesPerParameter;
        double buckets = Math.Ceiling(gradientBytes / Math.Max(1, dp.BucketCapBytes)) + 1;

        double eventsPerIteration;
        string backend = s.Backend.Name;
        string driver;
        switch (s.Mode.Name)
        {
            case "pipeline" when s.Pipeline is { } p:
            {
                double slices = (double)p.Microbatches * p.Stages * p.VirtualStages;
                double replicas = p.AllReplicaTraffic ? p.DataParallel : 1;
                // forward and backward per slice, each with a send and a receive, plus the data-parallel all-reduce
                eventsPerIteration = 6 * slices * replicas + 4 * p.Stages * (1 + p.DataParallel);
                driver = $"{iterations:N0} iterations x {p.Microbatches:N0} micro-batches x {p.Stages:N0} stages";
                break;
            }
            case "parameter_server" when s.ParameterServer is { } ps:
                // ps-ssp.yaml (32 workers, 4 servers): ~4,900 events per iteration, ~40 per worker and server
                eventsPerIteration = workers * (4 + 40.0 * ps.Servers);
                driver = $"{iterations:N0} iterations x {workers:N0} workers x {ps.Servers:N0} servers";
                break;
            default:
                // closed_form and flow: a few events per bucket (flows of identical transfers are one
                // flow with copies); analytical: every rank's transfer is an event.
                eventsPerIteration = (backend == "analytical" ? buckets * (2 + 1.5 * workers) : 10 * buckets) / Math.Max(1, dp.LocalSteps) + 2;
                driver = $"{iterations:N0} iterations x {buckets:N0} gradient buckets, {gpus:N0} GPUs";
                break;
        }
        double events = replications * (iterations * eventsPerIteration + 10 * gpus);
        double memory = CostRates.BaselineBytes
            + gpus * CostRates.BytesPerGpu(backend)
            + replications * iterations * CostRates.BytesPerIteration
            + (s.WriteReport ? replications * iterations * CostRates.ReportBytesPerIteration : 0);
        double seconds = events / CostRates.EventsPerSecond(backend);
        return new RunCost(events, memory, seconds, driver);
    }
}
