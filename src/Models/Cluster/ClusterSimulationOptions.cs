namespace Sim.Models.Cluster;

/// <summary>How a cluster run allocates and what it measures.</summary>
public sealed record ClusterSimulationOptions
{
    public PlacementPolicy Placement { get; init; } = PlacementPolicy.Packed;
    /// <summary>Gang mode: skip jobs that do not fit instead of blocking behind them (EASY backfilling
    /// for non-preemptive policies: a later job may start only if it does not delay the head job's
    /// reservation, Mu'alem and Feitelson, IEEE TPDS 2001; greedy skipping for preemptive ones).</summary>
    public bool Backfill { get; init; } = true;
    /// <summary>Seconds a preempted job spends saving its state; charged, with the restore, when it
    /// resumes (it holds its new GPUs without progress for checkpoint + restore seconds).</summary>
    public double CheckpointSeconds { get; init; }
    /// <summary>Seconds to reload a checkpoint and rebuild the job after a preemption.</summary>
    public double RestoreSeconds { get; init; }
    /// <summary>Jobs (in arrival order) left out of the statistics, to skip the empty-start transient.</summary>
    public long WarmupJobs { get; init; }
    /// <summary>Record this many jobs after the warm-up and stop once all of them have finished
    /// (needed for endless streams); long.MaxValue: record all and run until the stream is drained.</summary>
    public long MeasuredJobs { get; init; } = long.MaxValue;
    /// <summary>Width of the time-series bins, seconds.</summary>
    public double SeriesBinSeconds { get; init; } = 3_600;

    public void Validate()
    {
        if (!(CheckpointSeconds >= 0) || !double.IsFinite(CheckpointSeconds)) throw new ArgumentOutOfRangeException(nameof(CheckpointSeconds), CheckpointSeconds, "must be finite and >= 0");
        if (!(RestoreSeconds >= 0) || !double.IsFinite(RestoreSeconds)) throw new ArgumentOutOfRangeException(nameof(RestoreSeconds), RestoreSeconds, "must be finite and >= 0");
        if (WarmupJobs < 0) throw new ArgumentOutOfRangeException(nameof(WarmupJobs), WarmupJobs, "must be >= 0");
        if (MeasuredJobs < 1) throw new ArgumentOutOfRangeException(nameof(MeasuredJobs), MeasuredJobs, "must be >= 1");
        if (!(SeriesBinSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(SeriesBinSeconds), SeriesBinSeconds, "must be > 0");
    }
}
