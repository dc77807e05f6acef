namespace Sim.Calibration.Fitting;

/// <summary>
/// The measured (work, seconds) points of one operation kept as a lookup table, like a tide table
/// that gives measured heights and is read between entries: inside the measured range a size is
/// predicted by straight-line interpolation of ln(seconds) against ln(work) between its two
/// measured neighbours, which follows cache-size steps and algorithm switches that no smooth
/// curve has; outside the range the fitted curve extrapolates, scaled to meet the nearest
/// measured end so that the prediction stays continuous. The table is kept non-decreasing.
/// </summary>
public sealed class MeasuredTable
{
    private readonly double[] _work;
    private readonly double[] _seconds;

    public MeasuredTable(IEnumerable<(double work, double seconds)> points)
    {
        // Repeated sizes are merged by their geometric mean so that the table is a function.
        var merged = points.GroupBy(p => p.work).OrderBy(g => g.Key)
            .Select(g => (work: g.Key, seconds: Math.Exp(g.Average(p => Math.Log(p.seconds))))).ToArray();
        if (merged.Length == 0) throw new ArgumentException("a measured table needs at least one point", nameof(points));
        foreach (var (w, t) in merged)
            if (!(w > 0) || !(t > 0) || !double.IsFinite(w) || !double.IsFinite(t))
                throw new ArgumentException($"table points must be positive and finite, got ({w}, {t})", nameof(points));
        _work = merged.Select(p => p.work).ToArray();
        _seconds = MonotoneLogSeconds(merged.Select(p => Math.Log(p.seconds)).ToArray()).Select(Math.Exp).ToArray();
    }

    /// <summary>More work never takes less time: timing noise (or pooling two ops of one class)
    /// can make measured times dip with size, so the table is replaced by its closest
    /// non-decreasing sequence in log time (isotonic regression by pool-adjacent-violators).</summary>
    private static double[] MonotoneLogSeconds(double[] logSeconds)
    {
        var blockMean = new List<double>();
        var blockSize = new List<int>();
        foreach (double v in logSeconds)
        {
            blockMean.Add(v);
            blockSize.Add(1);
            while (blockMean.Count > 1 && blockMean[^2] > blockMean[^1])
            {
                int n1 = blockSize[^2], n2 = blockSize[^1];
                double mean = (blockMean[^2] * n1 + blockMean[^1] * n2) / (n1 + n2);
                blockMean.RemoveAt(blockMean.Count - 1);
                blockSize.RemoveAt(blockSize.Count - 1);
                blockMean[^1] = mean;
                blockSize[^1] = n1 + n2;
            }
        }
        var result = new double[logSeconds.Length];
        int k = 0;
        for (int b = 0; b < blockMean.Count; b++)
            for (int i = 0; i < blockSize[b]; i++) result[k++] = blockMean[b];
        return result;
    }

    public IReadOnlyList<(double Work, double Seconds)> Points => _work.Zip(_seconds).ToArray();

    public double Seconds(double work, SaturatingEfficiencyCurve curve)
    {
        if (!(work > 0)) throw new ArgumentOutOfRangeException(nameof(work), work, "work must be positive");
        int last = _work.Length - 1;
        // min/max: the curve's ratio may round a hair past 1 where the curve is flat
        if (work <= _work[0]) return Math.Min(_seconds[0], _seconds[0] * curve.Seconds(work) / curve.Seconds(_work[0]));
        if (work >= _work[last]) return Math.Max(_seconds[last], _seconds[last] * curve.Seconds(work) / curve.Seconds(_work[last]));
        int hi = Array.BinarySearch(_work, work);
        if (hi >= 0) return _seconds[hi];
        hi = ~hi;
        int lo = hi - 1;
        double f = (Math.Log(work) - Math.Log(_work[lo])) / (Math.Log(_work[hi]) - Math.Log(_work[lo]));
        double t = Math.Exp(Math.Log(_seconds[lo]) + f * (Math.Log(_seconds[hi]) - Math.Log(_seconds[lo])));
        return Math.Clamp(t, _seconds[lo], _seconds[hi]); // exp(log) rounding must not break monotonicity
    }
}
