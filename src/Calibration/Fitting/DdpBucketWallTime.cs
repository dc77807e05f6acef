namespace Sim.Calibration.Fitting;

/// <summary>
/// The wall time one DDP bucket adds to a step on otherwise free cores, like the time a relay baton spends
/// between runners: <c>a + b S</c> seconds per bucket of S bytes, fitted to the profiler's DDP step benchmark
/// (wall time of the DDP step minus the plain step, slowest rank, per bucket; sim-measurements v5, profile v5).
/// It holds the reducer's and gloo's CPU work and every wait between them (a message's wake-up of gloo's
/// threads, the ranks waiting on each other), which is why it exceeds that CPU when cores are free. The
/// simulated all-reduce of a bucket lasts at least this long from its start (<c>CpuHostDataParallel</c>).
/// </summary>
public sealed record DdpBucketWallTime(LinkCost Line, double MedianRelativeError)
{
    /// <summary>Wall seconds a bucket of <paramref name="bytes"/> takes, at the least.</summary>
    public double Seconds(double bytes) => Line.Seconds(bytes);
}
