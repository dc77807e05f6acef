using Sim.Scenarios.Cluster;

namespace Sim.Scenarios.Cost;

/// <summary>
/// Estimates a cluster scenario's cost before any simulation from the number of jobs a replication
/// simulates. Rates from `sim bench cluster` on the development machine kind (AMD EPYC, 2 shared cores,
/// 2026-12-07): 100,000 jobs on 4,096 GPUs with ring contention took 13.6-14.5 s of CPU and 300-330 MB
/// peak RSS; rounded up, as the other estimators are.
/// </summary>
public static class ClusterCostEstimator
{
    private const double SecondsPerJob = 2e-4, BytesPerJob = 4_000, EventsPerJob = 20;

    public static RunCost Estimate(ClusterScenario s)
    {
        double jobs = Math.Max(1, s.EstimatedJobs);
        double events = s.Replications * jobs * EventsPerJob;
        double memory = CostRates.BaselineBytes + jobs * BytesPerJob;
        return new RunCost(events, memory, s.Replications * jobs * SecondsPerJob, $"{jobs:N0} jobs x {s.Replications} replications");
    }
}
