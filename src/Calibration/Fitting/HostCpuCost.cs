namespace Sim.Calibration.Fitting;

/// <summary>
/// The CPU work one rank spends on one collective, like the hours a removal crew bills per move:
/// a fixed part per call plus a part per byte, in seconds of one core:
/// cpu(S) = <see cref="Line"/>.AlphaSeconds + <see cref="Line"/>.BetaSecondsPerByte * S, fitted to
/// the profiler's per-rank process CPU times (calling thread plus the backend's worker threads,
/// user and kernel time) with the same robust relative least squares as the wall-clock line.
/// </summary>
public sealed record HostCpuCost(LinkCost Line, double MedianRelativeError)
{
    /// <summary>Core-seconds one rank spends on a collective of <paramref name="bytes"/> per rank.</summary>
    public double Seconds(double bytes) => Line.Seconds(bytes);
}
