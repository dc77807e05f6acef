namespace Sim.Models.Cluster;

/// <summary>
/// A job while it is in the system: what is left, what it has received, where it runs. Owned and
/// updated by <see cref="ClusterSimulator"/>; schedulers read it to rank jobs and never change it.
/// </summary>
public sealed class JobState
{
    internal JobState(ClusterJob job, long index, int type)
    {
        Job = job;
        Index = index;
        Remaining = job.Work;
        TypeIndex = type;
        FirstStart = double.NaN;
    }

    public ClusterJob Job { get; }
    /// <summary>Position in the arrival stream (0 = first job).</summary>
    public long Index { get; }
    /// <summary>Work left, in the job's units.</summary>
    public double Remaining { get; internal set; }
    /// <summary>Attained service in GPU-seconds of progress (Tiresias's 2D measure: GPUs x time).</summary>
    public double Attained { get; internal set; }
    /// <summary>Required GPU type index, or -1 for any.</summary>
    public int TypeIndex { get; }
    /// <summary>GPUs held (node-major), or null while waiting (always null under time slicing).</summary>
    public int[]? Placement { get; internal set; }
    /// <summary>True while the job holds resources (a placement, or a time-sliced share &gt; 0).</summary>
    public bool Running { get; internal set; }
    /// <summary>Fraction of its gang's time the job gets: 1 for an exclusive gang, less under time slicing.</summary>
    public double Share { get; internal set; }
    /// <summary>Work units per second at share 1 on the current placement and network state.</summary>
    public double Speed { get; internal set; }
    /// <summary>Work units per second alone on a packed placement of the fastest type, uncontended.</summary>
    public double IdealSpeed { get; internal set; }
    /// <summary>Bytes/s of the slowest hop of the job's ring (infinity for one GPU or no profile).</summary>
    public double RingBandwidth { get; internal set; } = double.PositiveInfinity;
    /// <summary>The job makes no progress before this time (restoring a checkpoint after a preemption).</summary>
    public double OverheadUntil { get; internal set; }
    public double FirstStart { get; internal set; }
    public int Preemptions { get; internal set; }
    public int NodesSpanned { get; internal set; }
    public int LeavesSpanned { get; internal set; }
    /// <summary>Relative speed of the slowest GPU type in the placement (1 under time slicing).</summary>
    public double TypeSpeed { get; internal set; } = 1;
    /// <summary>Whatever the network model keeps per placed job (its ring's routes).</summary>
    internal object? NetworkState { get; set; }
    /// <summary>The scheduler's rank of this job at the current event (cached by the simulator).</summary>
    internal JobPriority Rank { get; set; }
    /// <summary>Set when the job has left the system.</summary>
    internal bool Finished { get; set; }

    /// <summary>Work done so far.</summary>
    public double Done => Job.Work - Remaining;

    /// <summary>What a duration-aware scheduler believes is left: the estimate minus the work done,
    /// at least 1% of the estimate (an under-estimated job is believed to be almost finished).</summary>
    public double EstimatedRemaining => Math.Max(Job.EstimatedWork - Done, 0.01 * Job.EstimatedWork);

    /// <summary>Work units per second right now at <paramref name="now"/>.</summary>
    public double ProgressRate(double now) => Running && now >= OverheadUntil ? Speed * Share : 0;
}
