namespace Sim.Models.Cluster.Schedulers;

/// <summary>Processor sharing / max-min fair GPU sharing: every job in the system gets an equal
/// share of GPUs, capped at its gang size, water-filled (a job needing less leaves the rest to
/// others). Time slicing in the limit of tiny quanta; with one GPU this is M/G/1-PS, whose mean
/// response time E[S]/(1 - rho) does not depend on the size distribution (Kleinrock 1976, §4.4).</summary>
public sealed class ProcessorSharing : IClusterScheduler
{
    public string Name => "ps";
    public SchedulingMode Mode => SchedulingMode.TimeSliced;
    public bool Preemptive => true;
    public JobPriority Priority(JobState job, double now) => new(0);
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now) => double.PositiveInfinity;
}
