namespace Sim.Models.Dependability;

/// <summary>
/// Nearest-neighbour mixing (Allouah et al., "Fixing by Mixing: A Recipe for Optimal Byzantine ML
/// under Heterogeneity", AISTATS 2023): each gradient is replaced by the mean of its n - f nearest
/// gradients in Euclidean distance, itself included. O(n^2 d). Requires n > 2f. Ties in distance go
/// to the lowest index.
/// </summary>
public sealed class NearestNeighborMixing : IPreAggregator
{
    private readonly int _keep;
    private readonly double[] _distances;
    private readonly int[] _order;
    private readonly double[] _keys;
    private readonly GradientMatrix _output;

    public NearestNeighborMixing(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        _keep = Workers - options.Byzantine;
        _distances = new double[Workers * Workers];
        _order = new int[Workers];
        _keys = new double[Workers];
        _output = new GradientMatrix(Workers, Dimension);
    }

    public string Name => "nnm";
    public int Workers { get; }
    public int OutputCount => Workers;
    public int Dimension { get; }

    public GradientMatrix Apply(GradientMatrix inputs)
    {
        if (inputs.Count != Workers || inputs.Dimension != Dimension)
            throw new ArgumentException($"nnm: built for {Workers} gradients of {Dimension} coordinates, got {inputs.Count} of {inputs.Dimension}");
        VectorMath.PairwiseSquaredDistances(inputs, _distances);
        int n = Workers;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) { _order[j] = j; _keys[j] = _distances[i * n + j]; }
            // Sort by (distance, index): Array.Sort is unstable, so ties are broken by the index explicitly.
            InsertionSortByKey(_keys, _order);
            VectorMath.MeanOf(inputs, _order.AsSpan(0, _keep), _output.Row(i));
        }
        return _output;
    }

    /// <summary>Sorts order by (keys, index); n is at most a few hundred, and this allocates nothing.</summary>
    private static void InsertionSortByKey(double[] keys, int[] order)
    {
        for (int a = 1; a < keys.Length; a++)
        {
            double k = keys[a];
            int o = order[a];
            int b = a - 1;
            while (b >= 0 && (keys[b] > k || (keys[b] == k && order[b] > o)))
            {
                keys[b + 1] = keys[b];
                order[b + 1] = order[b];
                b--;
            }
            keys[b + 1] = k;
            order[b + 1] = o;
        }
    }
}
