namespace Sim.Models.Dependability;

/// <summary>
/// Geometric median, argmin_z sum_i ||x_i - z|| (breakdown point 1/2), by the smoothed Weiszfeld
/// iteration (Weiszfeld 1937; smoothing as in Pillutla, Kakade and Harchaoui, "Robust Aggregation for
/// Federated Learning", IEEE TSP 2022): start at the mean, then z &lt;- sum_i w_i x_i / sum_i w_i with
/// w_i = 1 / max(||x_i - z||, nu). Stops when an iteration moves z by less than the tolerance
/// times the mean distance from the inputs, or after the iteration cap. O(n d) per iteration. Requires n > 2f.
/// </summary>
public sealed class GeometricMedian : IAggregator
{
    private readonly double _tolerance;
    private readonly int _maxIterations;
    private readonly double _nu;
    private readonly double[] _weights;
    private readonly float[] _next;
    private readonly int[] _rows;

    public GeometricMedian(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        if (!(options.WeiszfeldTolerance > 0)) throw new DependabilitySettingException($"{options.KeyPath}.tolerance", $"must be > 0, got {options.WeiszfeldTolerance}");
        if (options.WeiszfeldMaxIterations < 1) throw new DependabilitySettingException($"{options.KeyPath}.max_iterations", $"must be >= 1, got {options.WeiszfeldMaxIterations}");
        if (!(options.WeiszfeldSmoothing > 0)) throw new DependabilitySettingException($"{options.KeyPath}.smoothing", $"must be > 0, got {options.WeiszfeldSmoothing}");
        _tolerance = options.WeiszfeldTolerance;
        _maxIterations = options.WeiszfeldMaxIterations;
        _nu = options.WeiszfeldSmoothing;
        _weights = new double[Workers];
        _next = new float[Dimension];
        _rows = CoordinateColumns.Identity(Workers);
    }

    public string Name => "geometric-median";
    public int Workers { get; }
    public int Dimension { get; }

    /// <summary>Weiszfeld iterations taken in the last round.</summary>
    public int LastIterations { get; private set; }

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        VectorMath.MeanOf(inputs, _rows, output);
        double objective = Objective(inputs, output);
        int it = 0;
        while (it < _maxIterations)
        {
            it++;
            double total = 0;
            for (int i = 0; i < Workers; i++) total += _weights[i];
            _next.AsSpan().Clear();
            for (int i = 0; i < Workers; i++) VectorMath.AddScaled(_next, inputs.Row(i), (float)(_weights[i] / total));
            double step = Math.Sqrt(VectorMath.SquaredDistance(_next, output));
            _next.AsSpan().CopyTo(output);
            // The step is judged against the mean distance to the inputs (the data's own scale): an
            // objective-based rule cannot resolve progress below float rounding of the distances.
            bool converged = step <= _tolerance * (objective / Workers);
            objective = Objective(inputs, output);
            if (converged) break;
        }
        LastIterations = it;
    }

    /// <summary>sum_i ||x_i - z||, leaving the Weiszfeld weights 1 / max(||x_i - z||, nu) in _weights.</summary>
    private double Objective(GradientMatrix inputs, ReadOnlySpan<float> z)
    {
        double sum = 0;
        for (int i = 0; i < Workers; i++)
        {
            double dist = Math.Sqrt(VectorMath.SquaredDistance(inputs.Row(i), z));
            sum += dist;
            _weights[i] = 1 / Math.Max(dist, _nu);
        }
        return sum;
    }
}
