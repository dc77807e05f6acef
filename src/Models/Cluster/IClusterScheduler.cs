namespace Sim.Models.Cluster;

/// <summary>
/// A cluster scheduling policy: ranks the jobs in the system; the simulator turns the ranking into
/// allocations (see <see cref="ClusterSimulator"/>: gangs in rank order, skipping jobs that do not
/// fit when backfilling, preempting lower-ranked running jobs when the policy is preemptive; or
/// water-filled GPU shares under time slicing). Policies hold no per-job state of their own beyond
/// what they compute from <see cref="JobState"/>, so one instance serves one run at a time.
/// Register new ones in <see cref="SchedulerRegistry"/>.
/// </summary>
public interface IClusterScheduler
{
    string Name { get; }
    SchedulingMode Mode { get; }
    /// <summary>May a running job lose its GPUs to a better-ranked one?</summary>
    bool Preemptive { get; }

    /// <summary>The job's rank at time <paramref name="now"/> (smaller first).</summary>
    JobPriority Priority(JobState job, double now);

    /// <summary>
    /// The earliest time after <paramref name="now"/> at which ranks change by themselves (a job's
    /// attained service crossing a threshold, a lease expiring), given the jobs in rank order with
    /// their current rates; +infinity if none. Arrivals and completions need not be reported: the
    /// simulator re-ranks on those anyway.
    /// </summary>
    double NextRankChange(IReadOnlyList<JobState> ranked, double now);
}
