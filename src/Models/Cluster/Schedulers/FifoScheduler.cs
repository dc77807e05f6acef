namespace Sim.Models.Cluster.Schedulers;

/// <summary>First come, first served: jobs start in arrival order and run to completion. With
/// backfilling (EASY), later jobs may jump the queue only if they do not delay the head job.</summary>
public sealed class FifoScheduler : IClusterScheduler
{
    public string Name => "fifo";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => false;
    public JobPriority Priority(JobState job, double now) => new(job.Job.Arrival);
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now) => double.PositiveInfinity;
}
