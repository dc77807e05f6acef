namespace Sim.Models.Dependability;

/// <summary>
/// Plain averaging, what all-reduce data parallelism and FedAvg compute: (1/n) sum_i x_i. O(n d).
/// No Byzantine tolerance: a single worker can move the result arbitrarily far.
/// </summary>
public sealed class MeanAggregator(AggregatorOptions options) : IAggregator
{
    private readonly int[] _rows = CoordinateColumns.Identity(options.Workers);

    public string Name => "mean";
    public int Workers { get; } = options.Workers;
    public int Dimension { get; } = options.Dimension;

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        VectorMath.MeanOf(inputs, _rows, output);
    }
}
