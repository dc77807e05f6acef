namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP's buffer sync before every forward costs a single process (profile v6, from the profiler's BatchNorm stacks,
/// <see cref="Traces.DdpBufferSyncMeasurement"/>): a fixed part per call plus a part per buffer tensor (flattening them
/// and copying the flat tensor back into each), in CPU seconds of the process, like a cloakroom's fee per visit and per coat.
/// </summary>
public sealed record DdpBufferSyncCost(double SecondsPerCall, double SecondsPerTensor, double MedianRelativeError)
{
    /// <summary>CPU seconds of one sync of <paramref name="tensors"/> buffer tensors; nothing without buffers (DDP skips the sync).</summary>
    public double Seconds(int tensors) => tensors <= 0 ? 0 : SecondsPerCall + SecondsPerTensor * tensors;

    /// <summary>The robust line (as <see cref="AlphaBetaFitter.FitLine"/>) of CPU per call against buffer tensors; null with fewer
    /// than two tensor counts or a cost that does not grow with them.</summary>
    public static DdpBufferSyncCost? Fit(IReadOnlyList<Traces.DdpBufferSyncMeasurement> rows)
    {
        var points = rows.Select(r => ((double)r.Tensors, r.CpuSeconds)).ToList();
        if (points.Select(p => p.Item1).Distinct().Count() < 2) return null;
        LinkCost line;
        try { line = AlphaBetaFitter.FitLine(points); }
        catch (ArgumentException) { return null; }
        return new DdpBufferSyncCost(line.AlphaSeconds, line.BetaSecondsPerByte,
            FitError.MedianRelative(points.Select(p => (line.Seconds(p.Item1), p.Item2))));
    }
}
