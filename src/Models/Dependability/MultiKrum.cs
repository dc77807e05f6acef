namespace Sim.Models.Dependability;

/// <summary>
/// Krum and Multi-Krum (Blanchard et al., NeurIPS 2017). Each gradient is scored by the sum of its
/// squared distances to its n - f - 2 nearest neighbours; Krum returns the lowest-scoring gradient,
/// Multi-Krum the mean of the m lowest-scoring ones (m = 1 is Krum). Requires n > 2f + 2 (the paper's
/// condition 2f + 2 &lt; n). Cost: n(n-1)/2 distances of d coordinates, O(n^2 d), plus O(n^2 log n)
/// for the scores. Ties in score go to the lowest worker index.
/// </summary>
public sealed class MultiKrum : IAggregator
{
    private readonly int _f;
    private readonly int _m;
    private readonly double[] _distances;
    private readonly bool[] _active;
    private readonly int[] _chosen;
    private readonly KrumScoring _scoring;

    public MultiKrum(AggregatorOptions options, int selected)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        _f = options.Byzantine;
        _m = selected;
        if (selected < 1 || selected > Workers)
            throw new DependabilitySettingException($"{options.KeyPath}.selected", $"Multi-Krum's m must be in [1, {Workers}], got {selected}");
        _distances = new double[Workers * Workers];
        _active = new bool[Workers];
        _chosen = new int[selected];
        _scoring = new KrumScoring(Workers);
        Name = selected == 1 ? "krum" : "multi-krum";
    }

    public string Name { get; }
    public int Workers { get; }
    public int Dimension { get; }

    /// <summary>Workers chosen in the last round, best first.</summary>
    public ReadOnlySpan<int> LastSelection => _chosen;

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        VectorMath.PairwiseSquaredDistances(inputs, _distances);
        Array.Fill(_active, true);
        _scoring.Score(_distances, _active, _f);
        // Take the m best by repeatedly picking the lowest remaining score (m <= n, O(m n)).
        for (int k = 0; k < _m; k++)
        {
            int best = _scoring.Best(_active);
            _chosen[k] = best;
            _active[best] = false;
        }
        VectorMath.MeanOf(inputs, _chosen, output);
    }
}
