namespace Sim.Models.Cluster.Schedulers;

/// <summary>
/// Least attained service (foreground-background), continuous form: the jobs that have received the
/// least service (GPU-seconds) share the GPUs; once they catch up with the next-least-served jobs,
/// those join the share. Needs no knowledge of job sizes, and favours short jobs when sizes are
/// heavy-tailed (decreasing hazard rate). M/G/1 formula: <see cref="ClusterQueueingFormulas.LasResponseTime"/>.
/// </summary>
public sealed class LeastAttainedService : IClusterScheduler
{
    public string Name => "las";
    public SchedulingMode Mode => SchedulingMode.TimeSliced;
    public bool Preemptive => true;
    public JobPriority Priority(JobState job, double now) => new(job.Attained);

    /// <summary>When a less-served job, gaining service faster, catches up with the next job in rank.</summary>
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now)
    {
        double next = double.PositiveInfinity;
        for (int i = 0; i + 1 < ranked.Count; i++)
        {
            var a = ranked[i];
            var b = ranked[i + 1];
            double gap = b.Attained - a.Attained;
            if (ClusterSimulator.SamePrimary(a.Attained, b.Attained)) continue;
            double ra = a.ProgressRate(now) > 0 ? a.Job.Gpus * a.Share : 0;
            double rb = b.ProgressRate(now) > 0 ? b.Job.Gpus * b.Share : 0;
            if (ra > rb) next = Math.Min(next, now + gap / (ra - rb));
        }
        return next;
    }
}
