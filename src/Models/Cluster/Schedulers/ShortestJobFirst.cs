namespace Sim.Models.Cluster.Schedulers;

/// <summary>Shortest job first, non-preemptive: among waiting jobs, the one with the smallest
/// estimated duration (estimated work at ideal speed) starts first; running jobs are never stopped.
/// Perfect or predicted knowledge depending on <see cref="ClusterJob.EstimatedWork"/>.</summary>
public sealed class ShortestJobFirst : IClusterScheduler
{
    public string Name => "sjf";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => false;
    public JobPriority Priority(JobState job, double now) => new(job.Job.EstimatedWork / job.IdealSpeed, job.Job.Arrival);
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now) => double.PositiveInfinity;
}
