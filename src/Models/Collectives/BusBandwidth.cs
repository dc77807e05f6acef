namespace Sim.Models.Collectives;

/// <summary>
/// nccl-tests' performance figures, like a speedometer calibrated against the hardware: algorithm
/// bandwidth is bytes / time; bus bandwidth multiplies it by the fraction of the data that must cross
/// the busiest link of an optimal algorithm, so it is comparable with link speed whatever p is
/// (NVIDIA nccl-tests, doc/PERFORMANCE.md).
/// </summary>
public static class BusBandwidth
{
    /// <summary>busbw / algbw: all-reduce 2(p-1)/p; all-gather, reduce-scatter, all-to-all (p-1)/p; broadcast and send/recv 1.</summary>
    public static double Factor(CollectiveKind kind, int p) => kind switch
    {
        CollectiveKind.AllReduce => 2.0 * (p - 1) / p,
        CollectiveKind.AllGather or CollectiveKind.ReduceScatter or CollectiveKind.AllToAll => (double)(p - 1) / p,
        _ => 1.0,
    };

    public static double AlgorithmBandwidth(double bytes, double seconds) => bytes / seconds;

    public static double Of(CollectiveKind kind, int p, double bytes, double seconds) => AlgorithmBandwidth(bytes, seconds) * Factor(kind, p);
}
