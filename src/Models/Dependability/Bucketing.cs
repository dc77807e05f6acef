using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Bucketing (Karimireddy, He and Jaggi, "Byzantine-Robust Learning on Heterogeneous Datasets via
/// Bucketing", ICLR 2022): shuffle the n gradients with a seeded random permutation each round, cut
/// them into ceil(n / s) buckets of s (the last may be smaller), and pass on each bucket's mean. f
/// Byzantine gradients can spoil at most f buckets, so the aggregator that follows is built for
/// ceil(n / s) inputs and the same f. O(n d).
/// </summary>
public sealed class Bucketing : IPreAggregator
{
    private readonly int _size;
    private readonly RandomStream _rng;
    private readonly int[] _permutation;
    private readonly GradientMatrix _output;

    /// <param name="options">Shape and f; the key path for errors.</param>
    /// <param name="bucketSize">s, gradients per bucket, 1..n.</param>
    /// <param name="rng">The stream that draws each round's permutation (a named stream of the run
    /// seed, e.g. "defence.bucketing").</param>
    public Bucketing(AggregatorOptions options, int bucketSize, RandomStream rng)
    {
        if (bucketSize < 1 || bucketSize > options.Workers)
            throw new DependabilitySettingException($"{options.KeyPath}.bucket_size", $"must be in [1, workers = {options.Workers}], got {bucketSize}");
        Workers = options.Workers;
        Dimension = options.Dimension;
        _size = bucketSize;
        _rng = rng;
        _permutation = CoordinateColumns.Identity(Workers);
        OutputCount = (Workers + bucketSize - 1) / bucketSize;
        _output = new GradientMatrix(OutputCount, Dimension);
    }

    public string Name => "bucketing";
    public int Workers { get; }
    public int OutputCount { get; }
    public int Dimension { get; }

    /// <summary>Buckets the number of inputs n becomes with bucket size s.</summary>
    public static int BucketCount(int n, int s) => (n + s - 1) / s;

    /// <summary>The permutation drawn in the last round (bucket b holds positions b*s .. b*s + s - 1).</summary>
    public ReadOnlySpan<int> LastPermutation => _permutation;

    public GradientMatrix Apply(GradientMatrix inputs)
    {
        if (inputs.Count != Workers || inputs.Dimension != Dimension)
            throw new ArgumentException($"bucketing: built for {Workers} gradients of {Dimension} coordinates, got {inputs.Count} of {inputs.Dimension}");
        for (int i = 0; i < Workers; i++) _permutation[i] = i;
        for (int i = Workers - 1; i > 0; i--)
        {
            int j = (int)_rng.NextBounded((ulong)(i + 1));
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
        for (int b = 0; b < OutputCount; b++)
        {
            int start = b * _size;
            int len = Math.Min(_size, Workers - start);
            VectorMath.MeanOf(inputs, _permutation.AsSpan(start, len), _output.Row(b));
        }
        return _output;
    }
}
