namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP's buffer sync before every forward costs a single process (profile v6, from the profiler's BatchNorm stacks,
/// <see cref="Traces.DdpBufferSyncMeasurement"/>), or (profile v7, <see cref="FitTheilSen"/>) each of two free-running ranks, where
/// it is a broadcast: a fixed part per call plus a part per buffer tensor (flattening them and copying the flat tensor back into
/// each), in CPU seconds of the process, like a cloakroom's fee per visit and per coat.
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

    /// <summary>
    /// What the buffer broadcast before every forward costs a rank of two free-running ranks (profile v7, from the v8 rows:
    /// DDP minus DDP with broadcast_buffers=False, per step, <see cref="Traces.DdpBufferBroadcastMeasurement"/>), as a line in the
    /// buffer tensors. Those costs are differences of two noisy loops and may come out negative, so the line is Theil-Sen's (the
    /// median of the pairwise slopes, then the median intercept; robust to a minority of disturbed rows, absolute residuals),
    /// with slope and intercept held at zero or above (a broadcast costs no less with more tensors). The error is the median
    /// absolute residual over the median cost. Null with fewer than two buffer-tensor counts, or a cost that is not positive.
    /// </summary>
    public static DdpBufferSyncCost? FitTheilSen(IReadOnlyList<Traces.DdpBufferBroadcastMeasurement> rows) =>
        FitTheilSenLine(rows.Select(r => ((double)r.BufferTensors, r.BroadcastCpuSecondsPerStep)).ToArray());

    /// <summary>The wall time the buffer broadcast adds to a step of two free-running ranks (profile v8, from the same v8 rows:
    /// <see cref="Traces.DdpBufferBroadcastMeasurement.BroadcastWallSecondsPerStep"/>), as the same Theil-Sen line in the buffer tensors.</summary>
    public static DdpBufferSyncCost? FitTheilSenWall(IReadOnlyList<Traces.DdpBufferBroadcastMeasurement> rows) =>
        FitTheilSenLine(rows.Select(r => ((double)r.BufferTensors, r.BroadcastWallSecondsPerStep)).ToArray());

    private static DdpBufferSyncCost? FitTheilSenLine((double, double)[] points)
    {
        if (points.Select(p => p.Item1).Distinct().Count() < 2) return null;
        var slopes = new List<double>();
        for (int i = 0; i < points.Length; i++)
            for (int j = i + 1; j < points.Length; j++)
                if (points[i].Item1 != points[j].Item1)
                    slopes.Add((points[j].Item2 - points[i].Item2) / (points[j].Item1 - points[i].Item1));
        double slope = Math.Max(0, Median(slopes));
        double intercept = Math.Max(0, Median(points.Select(p => p.Item2 - slope * p.Item1)));
        double typical = Median(points.Select(p => p.Item2));
        if (!(intercept + slope > 0) || !(typical > 0)) return null;
        double error = Median(points.Select(p => Math.Abs(intercept + slope * p.Item1 - p.Item2))) / typical;
        return new DdpBufferSyncCost(intercept, slope, error);
    }

    private static double Median(IEnumerable<double> values) => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(values.ToArray());
}
