using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Sim.Calibration.Fitting;

/// <summary>
/// Fits a <see cref="SaturatingEfficiencyCurve"/> to (work, seconds) measurements, like a tailor
/// who takes a few measurements and cuts a suit that fits the whole body. Least squares in log
/// space: minimise sum (ln t_predicted - ln t_measured)^2 over (ln Rmax, ln Wh, ln k), so that a
/// 10% miss on a microsecond kernel counts as much as a 10% miss on a second-long one. The start
/// point comes from a scan over k where, for fixed k, t = c1 W + c2 W^(1-k) is linear in
/// (c1, c2) and solved by weighted least squares; MathNet's Nelder-Mead simplex then refines all
/// three parameters. With fewer than four points the sharpness is fixed to k = 1 (latency plus
/// throughput); with one point only the rate is known. Where the points follow a power law in the work (noisy step times of a
/// small model), the best curve lies at infinity (Rmax and Wh running off together while t = Wh^k W^(1-k) / Rmax holds): the
/// rate and the half-rate work are kept within what a profile can hold (<see cref="Traces.JsonFields.MaxMagnitude"/>, 1e18,
/// a million times any CPU's FLOP/s), where the curve fits the measured range as well as the runaway would.
/// </summary>
public static class EfficiencyCurveFitter
{
    private const double MinSharpness = 0.2, MaxSharpness = 4.0;
    private static readonly double LogBound = Math.Log(Traces.JsonFields.MaxMagnitude);

    public static SaturatingEfficiencyCurve Fit(IReadOnlyList<(double work, double seconds)> points)
    {
        if (points.Count == 0) throw new ArgumentException("cannot fit an efficiency curve to no points", nameof(points));
        foreach (var (w, t) in points)
            if (!(w > 0) || !(t > 0) || !double.IsFinite(w) || !double.IsFinite(t))
                throw new ArgumentException($"work and seconds must be positive and finite, got ({w}, {t})", nameof(points));

        if (points.Count == 1 || points.Select(p => p.work).Distinct().Count() == 1)
        {
            double rate = points.Select(p => p.work / p.seconds).Average();
            return new SaturatingEfficiencyCurve(rate, points[0].work * 1e-9, 1);
        }

        bool fixSharpness = points.Count < 4;
        var start = fixSharpness ? LinearStart(points, 1.0) : ScanStart(points);
        if (start is null) // rate falls with size in every linear view: start at a flat curve
        {
            double rate = Math.Exp(points.Average(p => Math.Log(p.work / p.seconds)));
            start = new SaturatingEfficiencyCurve(rate, points.Min(p => p.work) * 1e-3, 1);
        }

        double Objective(Vector<double> x)
        {
            if (x[0] > LogBound || x[1] > LogBound) return double.MaxValue;
            var c = FromParameters(x, fixSharpness);
            double sum = 0;
            foreach (var (w, t) in points)
            {
                double r = Math.Log(c.Seconds(w)) - Math.Log(t);
                sum += r * r;
            }
            return double.IsFinite(sum) ? sum : double.MaxValue;
        }

        double lnRate = Math.Min(Math.Log(start.MaxRate), LogBound - 1), lnHalf = Math.Min(Math.Log(start.HalfRateWork), LogBound - 1);
        var guess = fixSharpness
            ? Vector<double>.Build.Dense([lnRate, lnHalf])
            : Vector<double>.Build.Dense([lnRate, lnHalf, Math.Log(start.Sharpness)]);
        var best = guess;
        double bestValue = Objective(guess);
        // Restarting the simplex from its own answer escapes the occasional premature collapse.
        for (int round = 0; round < 3; round++)
        {
            try
            {
                var result = new NelderMeadSimplex(1e-12, 4000).FindMinimum(ObjectiveFunction.Value(Objective), best);
                if (result.FunctionInfoAtMinimum.Value < bestValue)
                {
                    best = result.MinimizingPoint;
                    bestValue = result.FunctionInfoAtMinimum.Value;
                }
            }
            catch (MaximumIterationsException) { break; }
        }
        return FromParameters(best, fixSharpness);
    }

    private static SaturatingEfficiencyCurve FromParameters(Vector<double> x, bool fixSharpness) =>
        new(Math.Exp(x[0]), Math.Exp(x[1]),
            fixSharpness ? 1.0 : Math.Clamp(Math.Exp(x[2]), MinSharpness, MaxSharpness));

    private static SaturatingEfficiencyCurve? ScanStart(IReadOnlyList<(double work, double seconds)> points)
    {
        SaturatingEfficiencyCurve? best = null;
        double bestValue = double.PositiveInfinity;
        for (double k = MinSharpness; k <= MaxSharpness + 1e-9; k += 0.1)
        {
            var c = LinearStart(points, k);
            if (c is null) continue;
            double v = points.Sum(p => Math.Pow(Math.Log(c.Seconds(p.work)) - Math.Log(p.seconds), 2));
            if (v < bestValue) { bestValue = v; best = c; }
        }
        return best;
    }

    /// <summary>For fixed k, t = c1 W + c2 W^(1-k) with c1 = 1/Rmax and c2 = Wh^k/Rmax; weights 1/t
    /// make the residuals relative. Returns null when either coefficient comes out non-positive.</summary>
    private static SaturatingEfficiencyCurve? LinearStart(IReadOnlyList<(double work, double seconds)> points, double k)
    {
        var a = Matrix<double>.Build.Dense(points.Count, 2);
        var b = Vector<double>.Build.Dense(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            var (w, t) = points[i];
            a[i, 0] = w / t;
            a[i, 1] = Math.Pow(w, 1 - k) / t;
            b[i] = 1;
        }
        Vector<double> c;
        try { c = a.QR().Solve(b); }
        catch (ArgumentException) { return null; }
        if (!(c[0] > 0) || !(c[1] > 0)) return null;
        double maxRate = 1 / c[0];
        double halfWork = Math.Pow(c[1] * maxRate, 1 / k);
        return double.IsFinite(halfWork) && halfWork > 0 ? new SaturatingEfficiencyCurve(maxRate, halfWork, k) : null;
    }
}
