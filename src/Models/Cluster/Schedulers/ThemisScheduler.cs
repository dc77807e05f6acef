namespace Sim.Models.Cluster.Schedulers;

/// <summary>
/// Finish-time fairness after Themis (Mahajan et al., NSDI 2020): a job's fairness ratio is
/// rho = T_shared / T_independent, its expected finish time in the shared cluster over its run time
/// alone. Here T_shared = time already spent in the system + estimated remaining work at ideal speed,
/// T_independent = estimated work at ideal speed (the paper divides by a 1/N cluster share, the same
/// N for every job, which does not change the order). Jobs with the largest rho are served first;
/// ranks are revisited at the end of every lease (GPUs are leased, not held forever). The paper's
/// auction between app-level agents is not modelled: the ranking is the arbiter's greedy core.
/// </summary>
public sealed class ThemisScheduler(double leaseSeconds) : IClusterScheduler
{
    public string Name => "themis";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => true;
    public double LeaseSeconds { get; } = leaseSeconds > 0 ? leaseSeconds : throw new ArgumentOutOfRangeException(nameof(leaseSeconds), leaseSeconds, "must be > 0");

    public JobPriority Priority(JobState job, double now)
    {
        double alone = job.Job.EstimatedWork / job.IdealSpeed;
        double shared = now - job.Job.Arrival + job.EstimatedRemaining / job.IdealSpeed;
        return new(-(shared / alone), job.Job.Arrival);
    }

    public double NextRankChange(IReadOnlyList<JobState> ranked, double now)
    {
        foreach (var j in ranked) if (!j.Running) return (Math.Floor(now / LeaseSeconds) + 1) * LeaseSeconds;
        return double.PositiveInfinity;
    }
}
