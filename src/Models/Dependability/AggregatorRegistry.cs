using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// The aggregation rules and pre-aggregation steps Sim knows, by name. Scenario schemas, docs and
/// the cost benchmark read their names, descriptions and preconditions from here; nothing else
/// switches on a rule's name.
/// </summary>
public static class AggregatorRegistry
{
    private static double Log2(double n) => Math.Max(1, Math.Log2(n));

    public static IReadOnlyList<AggregatorKind> Aggregators { get; } =
    [
        new("mean", "plain averaging (all-reduce, FedAvg); no Byzantine tolerance", "none", (n, f) => true,
            "O(n d)", (n, d) => n * d, true, o => new MeanAggregator(o)),
        new("median", "coordinate-wise median (Yin et al., ICML 2018)", "n > 2f", (n, f) => n > 2 * f,
            "O(n d log n)", (n, d) => n * d * Log2(n), false, o => new CoordinateMedian(o)),
        new("trimmed-mean", "coordinate-wise mean after dropping the f largest and f smallest values (Yin et al., ICML 2018)", "n > 2f", (n, f) => n > 2 * f,
            "O(n d log n)", (n, d) => n * d * Log2(n), false, o => new TrimmedMean(o)),
        new("krum", "the gradient closest to its n - f - 2 nearest neighbours (Blanchard et al., NeurIPS 2017)", "n > 2f + 2", (n, f) => n > 2 * f + 2,
            "O(n^2 d)", (n, d) => n * (n - 1) / 2 * d, false, o => new MultiKrum(o, 1)),
        new("multi-krum", "mean of the m best-scoring gradients by Krum's score, m = n - f unless set (Blanchard et al., NeurIPS 2017)", "n > 2f + 2", (n, f) => n > 2 * f + 2,
            "O(n^2 d)", (n, d) => n * (n - 1) / 2 * d, false, o => new MultiKrum(o, o.Selected ?? o.Workers - o.Byzantine)),
        new("geometric-median", "geometric median by smoothed Weiszfeld iterations (Pillutla et al., IEEE TSP 2022)", "n > 2f", (n, f) => n > 2 * f,
            "O(n d) per iteration", (n, d) => n * d, false, o => new GeometricMedian(o)),
        new("centered-clipping", "iterative clipping around the previous aggregate (Karimireddy et al., ICML 2021)", "n > 2f", (n, f) => n > 2 * f,
            "O(l n d)", (n, d) => n * d, false, o => new CenteredClipping(o)),
        new("bulyan", "Krum selection of n - 2f gradients, then a coordinate-wise mean around the median (El Mhamdi et al., ICML 2018)", "n >= 4f + 3", (n, f) => n >= 4 * f + 3,
            "O(n^2 d)", (n, d) => n * (n - 1) / 2 * d, false, o => new Bulyan(o),
            // One distance matrix and Krum scoring (the krum kernel), then a sort of theta = n - 2f values per coordinate (the median kernel).
            (n, f) => [("krum", n), ("median", n - 2 * f)]),
    ];

    public static IReadOnlyList<PreAggregatorKind> PreAggregators { get; } =
    [
        new("nnm", "nearest-neighbour mixing: each gradient becomes the mean of its n - f nearest (Allouah et al., AISTATS 2023)", "n > 2f", (n, f) => n > 2 * f,
            "O(n^2 d)", (n, d) => n * (n - 1) / 2 * d, (o, rng) => new NearestNeighborMixing(o)),
        new("bucketing", "means of random buckets of s gradients (Karimireddy et al., ICLR 2022)", "1 <= s <= n", (n, f) => true,
            "O(n d)", (n, d) => n * d, (o, rng) => o.BucketSize is { } s
                ? new Bucketing(o, s, rng)
                : throw new DependabilitySettingException($"{o.KeyPath}.bucket_size", "bucketing needs a bucket size s (>= 1)")),
    ];

    public static IEnumerable<string> AggregatorNames => Aggregators.Select(a => a.Name);
    public static IEnumerable<string> PreAggregatorNames => PreAggregators.Select(a => a.Name);

    /// <summary>The rule called <paramref name="name"/>.</summary>
    /// <exception cref="DependabilitySettingException">No rule has that name (the message lists the known ones).</exception>
    public static AggregatorKind Aggregator(string name, string keyPath = "defence.aggregator") =>
        Aggregators.FirstOrDefault(a => a.Name == name)
        ?? throw new DependabilitySettingException(keyPath, $"unknown aggregator '{name}'; expected one of {string.Join(", ", AggregatorNames)}");

    public static PreAggregatorKind PreAggregator(string name, string keyPath = "defence.pre_aggregation") =>
        PreAggregators.FirstOrDefault(a => a.Name == name)
        ?? throw new DependabilitySettingException(keyPath, $"unknown pre-aggregation '{name}'; expected one of {string.Join(", ", PreAggregatorNames)}");

    /// <summary>Builds the rule after checking the shape and the rule's precondition.</summary>
    /// <exception cref="DependabilitySettingException">Unknown name, bad shape, violated precondition or bad parameter.</exception>
    public static IAggregator Create(string name, AggregatorOptions options)
    {
        var kind = Aggregator(name, $"{options.KeyPath}.aggregator");
        options.CheckShape();
        if (!kind.Holds(options.Workers, options.Byzantine))
            throw new DependabilitySettingException($"{options.KeyPath}.aggregator",
                $"{name} needs {kind.Requirement}, got n = {options.Workers}, f = {options.Byzantine}");
        return kind.Factory(options);
    }

    /// <summary>Builds a pre-aggregation step after checking its precondition.</summary>
    public static IPreAggregator CreatePreAggregator(string name, AggregatorOptions options, RandomStream rng)
    {
        var kind = PreAggregator(name, $"{options.KeyPath}.pre_aggregation");
        options.CheckShape();
        if (!kind.Holds(options.Workers, options.Byzantine))
            throw new DependabilitySettingException($"{options.KeyPath}.pre_aggregation",
                $"{name} needs {kind.Requirement}, got n = {options.Workers}, f = {options.Byzantine}");
        return kind.Factory(options, rng);
    }
}
