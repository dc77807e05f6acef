namespace Sim.Calibration.Fitting;

/// <summary>
/// How fast an operation runs as its problem grows, like a motorway slip road: small jobs are
/// dominated by the fixed cost of getting started (dispatch, cache warm-up, thread wake-up) and
/// crawl, large jobs cruise near the top speed. The achieved rate (FLOP/s or bytes/s) is
/// <c>R(W) = Rmax / (1 + (Wh / W)^k)</c>: <c>Rmax</c> is the saturated rate, <c>Wh</c> the work at which
/// half of it is reached and <c>k</c> how sharply the curve bends. The time is then
/// <c>t(W) = W / R(W) = (W / Rmax) (1 + (Wh / W)^k)</c>; with k = 1 this is exactly the classic
/// latency-plus-throughput model <c>t = Wh/Rmax + W/Rmax</c>. With k &gt; 1 (a step whose per-unit
/// cost grows as its working set leaves the caches) the formula would let t fall with W below
/// <c>W* = Wh (k-1)^(1/k)</c>; more work never takes less time, so below W* the time is held at
/// its floor t(W*), the fixed cost of the smallest step.
/// </summary>
public sealed record SaturatingEfficiencyCurve(double MaxRate, double HalfRateWork, double Sharpness)
{
    /// <summary>Achieved rate (work per second) at problem size <paramref name="work"/>.</summary>
    public double Rate(double work) => work / Seconds(work);

    /// <summary>Predicted duration in seconds of an operation doing <paramref name="work"/>.</summary>
    public double Seconds(double work)
    {
        if (!(work > 0)) throw new ArgumentOutOfRangeException(nameof(work), work, "work must be positive");
        return RawSeconds(Math.Max(work, FloorWork));
    }

    /// <summary>W*: below it the time stays at its floor (only when k &gt; 1; otherwise 0).</summary>
    public double FloorWork => Sharpness > 1 ? HalfRateWork * Math.Pow(Sharpness - 1, 1 / Sharpness) : 0;

    private double RawSeconds(double work) => work / MaxRate * (1 + Math.Pow(HalfRateWork / work, Sharpness));

    /// <summary>Efficiency relative to a peak rate (for example the roofline's), in (0, 1] when
    /// the peak is the device's true maximum.</summary>
    public double Efficiency(double work, double peakRate) => Rate(work) / peakRate;
}
