namespace Sim.Models.Cluster.Schedulers;

/// <summary>
/// Heterogeneity-aware max-min fairness in the style of Gavel (Narayanan et al., OSDI 2020): the
/// quantity equalised is a job's normalized progress, the work it has done divided by the work it
/// would have done running alone on the fastest GPU type since it arrived, so progress on a slow
/// type counts for less. Each round, the jobs with the least normalized progress get GPUs first
/// (gangs, preemptive), and a gang is placed on the fastest type with room. Gavel solves an LP for
/// time fractions per GPU type and realises them with rounds; this keeps its objective and round
/// mechanism but ranks greedily instead of solving the LP.
/// </summary>
public sealed class GavelScheduler(double roundSeconds) : IClusterScheduler
{
    public string Name => "gavel";
    public SchedulingMode Mode => SchedulingMode.Gang;
    public bool Preemptive => true;
    public double RoundSeconds { get; } = roundSeconds > 0 ? roundSeconds : throw new ArgumentOutOfRangeException(nameof(roundSeconds), roundSeconds, "must be > 0");

    public JobPriority Priority(JobState job, double now)
    {
        double age = now - job.Job.Arrival;
        double normalized = age > 0 ? job.Done / (job.IdealSpeed * age) : 0;
        return new(normalized, job.Job.Arrival);
    }

    public double NextRankChange(IReadOnlyList<JobState> ranked, double now)
    {
        foreach (var j in ranked) if (!j.Running) return (Math.Floor(now / RoundSeconds) + 1) * RoundSeconds;
        return double.PositiveInfinity;
    }
}
