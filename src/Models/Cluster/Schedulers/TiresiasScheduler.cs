namespace Sim.Models.Cluster.Schedulers;

/// <summary>
/// Tiresias's discretized two-dimensional least-attained-service (Gu et al., NSDI 2019, §3.1):
/// attained service is GPUs x time; a job sits in queue k while its attained service lies between
/// thresholds k-1 and k; lower queues win; within a queue, jobs are served first come, first served
/// (gangs, preemptive). It needs no job-size knowledge. The thresholds are parameters of the policy
/// (the paper picks them per workload), not measurements. The starvation guard of the paper
/// (promotion after waiting too long) is not modelled.
/// </summary>
public sealed class TiresiasScheduler : IClusterScheduler
{
    private readonly double[] _thresholds;

    /// <param name="thresholds">Increasing GPU-second boundaries between queues (k thresholds: k+1 queues).</param>
    public TiresiasScheduler(IReadOnlyList<double> thresholds)
    {
        _thresholds = thresholds.ToArray();
        for (int i = 0; i < _thresholds.Length; i++)
            if (!(_thresholds[i] > 0) || (i > 0 && !(_thresholds[i] > _thresholds[i - 1])))
                throw new ArgumentException($"thresholds must be positive and increasing, got [{string.Join(", ", _thresholds)}]", nameof(thresholds));
    }

    public string Name => "tiresias";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => true;
    public IReadOnlyList<double> Thresholds => _thresholds;

    public int QueueOf(double attained)
    {
        int k = 0;
        while (k < _thresholds.Length && attained >= _thresholds[k]) k++;
        return k;
    }

    public JobPriority Priority(JobState job, double now) => new(QueueOf(job.Attained), job.Job.Arrival);

    /// <summary>When a running job's attained service crosses its queue's upper threshold.</summary>
    public double NextRankChange(IReadOnlyList<JobState> ranked, double now)
    {
        double next = double.PositiveInfinity;
        foreach (var j in ranked)
        {
            if (j.ProgressRate(now) <= 0) continue;
            int k = QueueOf(j.Attained);
            if (k >= _thresholds.Length) continue;
            next = Math.Min(next, now + (_thresholds[k] - j.Attained) / (j.Job.Gpus * j.Share));
        }
        return next;
    }
}
