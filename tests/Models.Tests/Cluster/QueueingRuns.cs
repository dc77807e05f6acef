using Sim.Core.Randomness;
using Sim.Core.Statistics;
using Sim.Models.Cluster;

namespace Sim.Models.Tests.Cluster;

/// <summary>One-GPU jobs with Poisson arrivals on c single-GPU nodes: the cluster as a textbook queue.</summary>
internal static class QueueingRuns
{
    public const int Replications = 20;
    public const long Warmup = 2_000;
    public const long Measured = 20_000;

    public static ClusterOutcome Run(string scheduler, double lambda, IDistribution size, int gpus, ulong seed, long warmup = Warmup, long measured = Measured)
    {
        var stream = new SyntheticJobSource(new SyntheticJobSource.Options(lambda, new Deterministic(1), size, MaxGpus: 1), seed);
        var sim = new ClusterSimulator(new GpuCluster(gpus, 1), SchedulerRegistry.Create(scheduler),
            new ClusterSimulationOptions { WarmupJobs = warmup, MeasuredJobs = measured, SeriesBinSeconds = 1e6 });
        return sim.Run(stream);
    }

    /// <summary>99% Student-t interval of a per-replication statistic over fixed seeds 1000, 1001, ...</summary>
    public static ConfidenceInterval Replicate(Func<ulong, double> run) =>
        ConfidenceInterval.Of(Enumerable.Range(0, Replications).Select(r => run((ulong)(1000 + r))).ToArray(), 0.99);
}
