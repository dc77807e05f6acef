namespace Sim.Models.Dependability;

/// <summary>
/// Coordinate-wise median (Yin et al., "Byzantine-Robust Distributed Learning: Towards Optimal
/// Statistical Rates", ICML 2018): output[j] = median_i x_i[j], the mean of the two middle values
/// for even n. O(n d log n). Tolerates f &lt; n/2 per coordinate.
/// </summary>
public sealed class CoordinateMedian : IAggregator
{
    private readonly CoordinateColumns _columns;
    private readonly int[] _rows;

    public CoordinateMedian(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        _columns = new CoordinateColumns(Workers);
        _rows = CoordinateColumns.Identity(Workers);
    }

    public string Name => "median";
    public int Workers { get; }
    public int Dimension { get; }

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        int unused = 0;
        _columns.Reduce(inputs, _rows, output, static (ReadOnlySpan<float> column, ref int _) => CoordinateColumns.Median(column), ref unused);
    }
}
