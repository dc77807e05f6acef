namespace Sim.Models.Cluster.Schedulers;

/// <summary>Shortest remaining (processing) time first, preemptive: the jobs with the least estimated
/// remaining time at ideal speed hold the GPUs; a shorter arrival preempts a longer running job. With
/// one GPU, one-GPU jobs and exact estimates this is SRPT, optimal for mean response time (Schrage 1968).</summary>
public sealed class ShortestRemainingTime : IClusterScheduler
{
    public string Name => "srtf";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => true;
    public JobPriority Priority(JobState job, double now) => new(job.EstimatedRemaining / job.IdealSpeed, job.Job.Arrival);
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now) => double.PositiveInfinity;
}
