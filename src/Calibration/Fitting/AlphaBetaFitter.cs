namespace Sim.Calibration.Fitting;

/// <summary>
/// Fits alpha-beta link costs to collective timings, like working out a taxi's flag-fall and
/// per-mile rate from a pile of receipts. The collective's time is T(S) = A + B S; the ring
/// accounting (<see cref="CollectiveBusFactors"/>) turns that into one link's cost:
/// alpha = A / steps and beta = B / busFactor. The line is fitted by least squares on relative
/// residuals (weights 1/T), with Huber reweighting so that one timing disturbed by another
/// process on a shared machine does not drag the line.
/// </summary>
public static class AlphaBetaFitter
{
    /// <summary>Fits the collective-level line T(S) = A + B S.</summary>
    public static LinkCost FitLine(IReadOnlyList<(double bytes, double seconds)> points)
    {
        if (points.Select(p => p.bytes).Distinct().Count() < 2)
            throw new ArgumentException("alpha-beta fitting needs timings at two or more message sizes", nameof(points));
        var weights = points.Select(p => 1.0).ToArray();
        (double a, double b) = (0, 0);
        for (int iteration = 0; iteration < 20; iteration++)
        {
            (a, b) = WeightedLine(points, weights);
            var residuals = points.Select(p => (a + b * p.bytes - p.seconds) / p.seconds).ToArray();
            double scale = 1.4826 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(residuals.Select(Math.Abs).ToArray());
            if (!(scale > 1e-12)) break;
            double huber = 1.345 * scale;
            for (int i = 0; i < weights.Length; i++)
                weights[i] = Math.Abs(residuals[i]) <= huber ? 1 : huber / Math.Abs(residuals[i]);
        }
        // A physical link has non-negative latency and positive bandwidth.
        if (b <= 0) throw new ArgumentException("collective time does not grow with message size; cannot fit a bandwidth");
        return new LinkCost(Math.Max(a, 0), b);
    }

    /// <summary>Fits one link's alpha-beta from a collective's timings on <paramref name="ranks"/> ranks.</summary>
    public static LinkCost FitLink(string collective, int ranks, IReadOnlyList<(double bytes, double seconds)> points)
    {
        var line = FitLine(points);
        int steps = CollectiveBusFactors.LatencySteps(collective, ranks);
        double factor = CollectiveBusFactors.BusBytesFactor(collective, ranks);
        if (steps < 1 || factor <= 0) throw new ArgumentException($"{collective} on {ranks} rank(s) uses no link");
        return new LinkCost(line.AlphaSeconds / steps, line.BetaSecondsPerByte / factor);
    }

    /// <summary>The collective-level time predicted from a link cost (inverse of <see cref="FitLink"/>).</summary>
    public static double CollectiveSeconds(LinkCost link, string collective, int ranks, double bytes) =>
        CollectiveBusFactors.LatencySteps(collective, ranks) * link.AlphaSeconds
        + CollectiveBusFactors.BusBytesFactor(collective, ranks) * bytes * link.BetaSecondsPerByte;

    private static (double a, double b) WeightedLine(IReadOnlyList<(double bytes, double seconds)> points, double[] robust)
    {
        // minimise sum w_i ((a + b S_i - T_i) / T_i)^2: normal equations of a 2x2 system
        double s00 = 0, s01 = 0, s11 = 0, r0 = 0, r1 = 0;
        for (int i = 0; i < points.Count; i++)
        {
            var (s, t) = points[i];
            double w = robust[i] / (t * t);
            s00 += w; s01 += w * s; s11 += w * s * s; r0 += w * t; r1 += w * s * t;
        }
        double det = s00 * s11 - s01 * s01;
        return ((r0 * s11 - r1 * s01) / det, (s00 * r1 - s01 * r0) / det);
    }
}
