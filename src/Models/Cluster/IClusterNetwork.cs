namespace Sim.Models.Cluster;

/// <summary>
/// The fabric as the cluster simulator sees it: tells each running gang how much bandwidth the
/// slowest hop of its ring all-reduce gets, given every other running gang. Called with the full set
/// of running gangs whenever that set or a placement changes (not on every event).
/// </summary>
public interface IClusterNetwork
{
    /// <summary>A job got a placement; prepare its ring (hops and their routes).</summary>
    void Attach(JobState job);
    /// <summary>A job lost its placement.</summary>
    void Detach(JobState job);
    /// <summary>Sets <see cref="JobState.RingBandwidth"/> of every job in <paramref name="running"/>
    /// (each has a placement).</summary>
    void Assign(IReadOnlyList<JobState> running);
    /// <summary>Ring bandwidth of a gang of <paramref name="gpus"/> GPUs alone on a packed placement
    /// (the reference for slowdown).</summary>
    double IdealBandwidth(int gpus);
}
