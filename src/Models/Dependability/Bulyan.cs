namespace Sim.Models.Dependability;

/// <summary>
/// Bulyan (El Mhamdi, Guerraoui and Rouault, "The Hidden Vulnerability of Distributed Learning in
/// Byzantium", ICML 2018) over Krum. Selection: theta = n - 2f times, run Krum on the gradients not yet
/// selected and move its choice into the selection set. Aggregation: per coordinate, average the
/// beta = theta - 2f selected values closest to the coordinate-wise median of the selection.
/// Requires n >= 4f + 3. Cost: one pairwise distance matrix, O(n^2 d), reused by every Krum pass
/// (O(n^3 log n) scoring), plus O(theta d log theta) for the coordinate phase.
/// Ties (equal Krum scores, equally close values) go to the lowest index / the larger value.
/// </summary>
public sealed class Bulyan : IAggregator
{
    private readonly int _f;
    private readonly int _theta;
    private readonly int _beta;
    private readonly double[] _distances;
    private readonly bool[] _remaining;
    private readonly int[] _selected;
    private readonly KrumScoring _scoring;
    private readonly CoordinateColumns _columns;

    public Bulyan(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        _f = options.Byzantine;
        _theta = Workers - 2 * _f;
        _beta = _theta - 2 * _f;
        _distances = new double[Workers * Workers];
        _remaining = new bool[Workers];
        _selected = new int[_theta];
        _scoring = new KrumScoring(Workers);
        _columns = new CoordinateColumns(_theta);
    }

    public string Name => "bulyan";
    public int Workers { get; }
    public int Dimension { get; }

    /// <summary>The selection set of the last round, in selection order.</summary>
    public ReadOnlySpan<int> LastSelection => _selected;

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        VectorMath.PairwiseSquaredDistances(inputs, _distances);
        Array.Fill(_remaining, true);
        for (int k = 0; k < _theta; k++)
        {
            _scoring.Score(_distances, _remaining, _f);
            int best = _scoring.Best(_remaining);
            _selected[k] = best;
            _remaining[best] = false;
        }
        int beta = _beta;
        _columns.Reduce(inputs, _selected, output, static (ReadOnlySpan<float> sorted, ref int b) => MeanClosestToMedian(sorted, b), ref beta);
    }

    /// <summary>Mean of the <paramref name="beta"/> values of a sorted column closest to its median:
    /// they form a contiguous run around the median, grown one value at a time from whichever side
    /// is closer (the upper side on a tie).</summary>
    internal static float MeanClosestToMedian(ReadOnlySpan<float> sorted, int beta)
    {
        double median = CoordinateColumns.Median(sorted);
        int hi = 0;
        while (hi < sorted.Length && sorted[hi] < median) hi++;
        int lo = hi - 1;
        double sum = 0;
        for (int taken = 0; taken < beta; taken++)
        {
            bool takeHigh = lo < 0 || (hi < sorted.Length && sorted[hi] - median <= median - sorted[lo]);
            sum += takeHigh ? sorted[hi++] : sorted[lo--];
        }
        return (float)(sum / beta);
    }
}
