namespace Sim.Calibration.Fitting;

/// <summary>
/// The roofline model (Williams, Waterman and Patterson, CACM 2009), like a delivery van limited
/// either by its engine or by its loading dock: an operation takes at least its FLOPs divided by
/// the peak arithmetic rate and at least its bytes divided by the memory bandwidth, whichever is
/// longer. Used as the fallback for operations no efficiency curve was fitted for.
/// </summary>
public sealed record Roofline(double PeakFlopsPerSecond, double MemoryBytesPerSecond, string Source)
{
    public double Seconds(double flops, double bytes)
    {
        if (flops < 0 || bytes < 0) throw new ArgumentOutOfRangeException(nameof(flops), "flops and bytes must be non-negative");
        return Math.Max(flops / PeakFlopsPerSecond, bytes / MemoryBytesPerSecond);
    }

    /// <summary>Arithmetic intensity (FLOP per byte) at which compute and memory limits meet.</summary>
    public double RidgeIntensity => PeakFlopsPerSecond / MemoryBytesPerSecond;

    /// <summary>The measured roofline: the best FLOP/s any compute-bound kernel achieved and the best
    /// bytes/s any memory-bound kernel achieved on this device. A lower bound on the datasheet peak,
    /// but the one this software stack can actually reach. FLOPs are nominal (direct algorithm), so a
    /// convolution computed with Winograd or FFT can set an "effective" peak above the GEMM rate;
    /// the roofline then stays a lower bound on every measured kernel.</summary>
    public static Roofline FromMeasurements(IEnumerable<Traces.OpMeasurement> ops)
    {
        var list = ops.ToList();
        var flopOps = list.Where(o => o.Work == Traces.WorkKind.Flops).ToList();
        var byteOps = list.Where(o => o.Work == Traces.WorkKind.Bytes).ToList();
        if (flopOps.Count == 0 || byteOps.Count == 0)
            throw new ArgumentException("a measured roofline needs at least one compute-bound and one memory-bound kernel");
        return new Roofline(flopOps.Max(o => o.Flops / o.MedianSeconds), byteOps.Max(o => o.Bytes / o.MedianSeconds),
            "measured: best achieved rate over the kernel grid");
    }
}
