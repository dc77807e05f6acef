namespace Sim.Models.Federated;

/// <summary>
/// A learning curve read off a chart: accuracy against training progress (aggregated rounds for
/// FedAvg, server model versions for FedBuff), given as measured points and joined by straight
/// lines. The simulator supplies the wall-clock side; the curve, which comes from real training runs
/// (for example FedScale's reported rounds-to-accuracy), supplies the statistical side, so the two
/// combine into time-to-accuracy.
/// </summary>
public sealed class AccuracyCurve
{
    private readonly double[] _x;
    private readonly double[] _y;

    public AccuracyCurve(IReadOnlyList<(double Progress, double Accuracy)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 1) throw new ArgumentException("accuracy_curve: expected at least one (progress, accuracy) point");
        _x = new double[points.Count];
        _y = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            var (x, y) = points[i];
            if (!(x >= 0) || double.IsInfinity(x)) throw new ArgumentException($"accuracy_curve[{i}]: progress {x} must be finite and >= 0");
            if (double.IsNaN(y) || double.IsInfinity(y)) throw new ArgumentException($"accuracy_curve[{i}]: accuracy {y} must be finite");
            if (i > 0 && !(x > _x[i - 1])) throw new ArgumentException($"accuracy_curve[{i}]: progress {x} must be greater than the previous point's {_x[i - 1]}");
            _x[i] = x;
            _y[i] = y;
        }
    }

    /// <summary>Accuracy after <paramref name="progress"/> rounds/versions: linear between points,
    /// flat before the first and after the last.</summary>
    public double AccuracyAt(double progress)
    {
        if (progress <= _x[0]) return _y[0];
        if (progress >= _x[^1]) return _y[^1];
        int hi = Array.BinarySearch(_x, progress);
        if (hi >= 0) return _y[hi];
        hi = ~hi;
        int lo = hi - 1;
        return _y[lo] + (_y[hi] - _y[lo]) * (progress - _x[lo]) / (_x[hi] - _x[lo]);
    }

    /// <summary>The least whole number of rounds/versions at which the curve reaches
    /// <paramref name="target"/>, or null if it never does.</summary>
    public long? ProgressToReach(double target)
    {
        for (int i = 0; i < _x.Length; i++)
        {
            if (_y[i] < target) continue;
            if (i == 0) return 0; // the curve is flat at its first accuracy before its first point
            // Crosses between i-1 and i: solve the line, then round up to whole progress.
            double x = _x[i - 1] + (target - _y[i - 1]) * (_x[i] - _x[i - 1]) / (_y[i] - _y[i - 1]);
            long whole = (long)Math.Ceiling(x);
            while (AccuracyAt(whole) < target) whole++; // guard against rounding in the solve
            return whole;
        }
        return null;
    }
}
