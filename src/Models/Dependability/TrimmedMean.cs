namespace Sim.Models.Dependability;

/// <summary>
/// Coordinate-wise trimmed mean (Yin et al., ICML 2018): per coordinate, drop the f largest and the f
/// smallest values and average the remaining n - 2f. Requires n > 2f. O(n d log n).
/// </summary>
public sealed class TrimmedMean : IAggregator
{
    private readonly CoordinateColumns _columns;
    private readonly int[] _rows;
    private readonly int _trim;

    public TrimmedMean(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        _trim = options.Byzantine;
        _columns = new CoordinateColumns(Workers);
        _rows = CoordinateColumns.Identity(Workers);
    }

    public string Name => "trimmed-mean";
    public int Workers { get; }
    public int Dimension { get; }

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        int trim = _trim;
        _columns.Reduce(inputs, _rows, output, static (ReadOnlySpan<float> column, ref int f) =>
        {
            double sum = 0;
            for (int i = f; i < column.Length - f; i++) sum += column[i];
            return (float)(sum / (column.Length - 2 * f));
        }, ref trim);
    }
}
