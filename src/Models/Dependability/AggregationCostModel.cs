namespace Sim.Models.Dependability;

/// <summary>
/// Simulated time of one aggregation round: for each rule, seconds = c0 + c1 W(n, d) I, where W is the
/// rule's work count from the registry (n^2 d for Krum, n d log n for the median, ...), I the
/// iterations (geometric median only; 1 otherwise), and c0, c1 are fitted by least squares on
/// relative error (weights 1 / t^2) to measured rounds of the real kernels. Measured points, not
/// end-to-end results, set the coefficients; the fit is what extrapolates beyond the measured sizes,
/// and <see cref="IsMeasured"/> says when a size lies outside them.
/// </summary>
public sealed class AggregationCostModel
{
    private readonly Dictionary<string, Coefficients> _fits = new();

    /// <summary>Fitted coefficients of one rule, with the measured range.</summary>
    public sealed record Coefficients(string Rule, double Fixed, double PerWork, double MeanIterations,
        int MaxWorkers, int MaxDimension, int Points, double MaxRelativeError);

    /// <exception cref="ArgumentException">A rule with fewer than two distinct work values cannot be fitted.</exception>
    public AggregationCostModel(IEnumerable<TimingPoint> points)
    {
        foreach (var group in points.GroupBy(p => p.Rule))
        {
            var work = WorkOf(group.Key);
            var x = group.Select(p => work(p.Workers, p.Dimension) * p.Iterations).ToArray();
            var y = group.Select(p => p.Seconds).ToArray();
            if (x.Distinct().Count() < 2) throw new ArgumentException($"{group.Key}: need measurements at two or more sizes to fit");
            // Weighted least squares for y = c0 + c1 x with weights 1/y^2 (relative error), closed form.
            double sw = 0, swx = 0, swy = 0, swxx = 0, swxy = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double w = 1 / (y[i] * y[i]);
                sw += w; swx += w * x[i]; swy += w * y[i]; swxx += w * x[i] * x[i]; swxy += w * x[i] * y[i];
            }
            double det = sw * swxx - swx * swx;
            double c1 = (sw * swxy - swx * swy) / det;
            double c0 = (swy - c1 * swx) / sw;
            if (c0 < 0) { c0 = 0; c1 = swxy / swxx; } // a negative fixed cost is noise: refit through the origin
            double maxRel = 0;
            for (int i = 0; i < x.Length; i++) maxRel = Math.Max(maxRel, Math.Abs(c0 + c1 * x[i] - y[i]) / y[i]);
            _fits[group.Key] = new Coefficients(group.Key, c0, c1, group.Average(p => (double)p.Iterations),
                group.Max(p => p.Workers), group.Max(p => p.Dimension), x.Length, maxRel);
        }
    }

    /// <summary>The model fitted to the timings committed in <see cref="MeasuredAggregatorTimings"/>.</summary>
    public static AggregationCostModel Measured { get; } = new(MeasuredAggregatorTimings.Points);

    public IReadOnlyCollection<Coefficients> Fits => _fits.Values;
    public Coefficients For(string rule) => _fits.TryGetValue(rule, out var c) ? c
        : throw new DependabilitySettingException("defence.aggregator", $"no timings for '{rule}'; measured rules: {string.Join(", ", _fits.Keys)}");

    /// <summary>Seconds for one round of <paramref name="rule"/> on n gradients of d coordinates
    /// (iterative rules at their mean measured iteration count unless <paramref name="iterations"/> is
    /// given). Rules registered with cost parts (Bulyan) cost the sum of their parts' fits, with f =
    /// <paramref name="byzantine"/> (default: <see cref="AggregatorTiming.ByzantineFor"/>, as timed).</summary>
    public double Seconds(string rule, int n, long d, double? iterations = null, int? byzantine = null)
    {
        if (PartsOf(rule) is { } parts)
        {
            double sum = 0;
            foreach (var (part, inputs) in parts(n, byzantine ?? AggregatorTiming.ByzantineFor(n))) sum += Seconds(part, inputs, d);
            return sum;
        }
        return FittedSeconds(rule, n, d, iterations);
    }

    /// <summary>The rule's own fit, ignoring cost parts: for validating a composed rule against its timings.</summary>
    public double FittedSeconds(string rule, int n, long d, double? iterations = null)
    {
        var c = For(rule);
        return c.Fixed + c.PerWork * WorkOf(rule)(n, d) * (iterations ?? c.MeanIterations);
    }

    /// <summary>Whether (n, d) lies within the measured sizes (otherwise <see cref="Seconds"/> extrapolates).</summary>
    public bool IsMeasured(string rule, int n, long d)
    {
        if (PartsOf(rule) is { } parts) return parts(n, AggregatorTiming.ByzantineFor(n)).All(p => IsMeasured(p.Rule, p.Inputs, d));
        var c = For(rule);
        return n <= c.MaxWorkers && d <= c.MaxDimension;
    }

    private static Func<int, int, (string Rule, int Inputs)[]>? PartsOf(string rule) =>
        AggregatorRegistry.Aggregators.FirstOrDefault(a => a.Name == rule)?.CostParts;

    private static Func<double, double, double> WorkOf(string rule) =>
        AggregatorRegistry.Aggregators.FirstOrDefault(a => a.Name == rule)?.Work
        ?? AggregatorRegistry.PreAggregators.FirstOrDefault(a => a.Name == rule)?.Work
        ?? throw new DependabilitySettingException("defence.aggregator", $"unknown rule '{rule}'");
}
