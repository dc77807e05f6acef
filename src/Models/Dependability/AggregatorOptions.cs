namespace Sim.Models.Dependability;

/// <summary>
/// Everything an aggregator factory needs: the shape of a round (n workers, d coordinates), the
/// number f of Byzantine workers the rule must tolerate, and the rule's own parameters. Parameters a
/// rule does not use are ignored; a rule whose parameter is required and missing refuses to build
/// with a <see cref="DependabilitySettingException"/>.
/// </summary>
public sealed record AggregatorOptions
{
    /// <summary>n: gradients per round.</summary>
    public required int Workers { get; init; }
    /// <summary>d: coordinates per gradient.</summary>
    public required int Dimension { get; init; }
    /// <summary>f: Byzantine workers to tolerate (the rule's assumption, not the attack's count).</summary>
    public int Byzantine { get; init; }
    /// <summary>Multi-Krum's m: how many lowest-scoring gradients are averaged; null = n - f
    /// (Blanchard et al. 2017 evaluate m = n - f).</summary>
    public int? Selected { get; init; }
    /// <summary>Centered clipping's radius tau (in gradient-norm units); required for that rule,
    /// because a good tau depends on the model's gradient scale.</summary>
    public double? ClippingRadius { get; init; }
    /// <summary>Centered clipping's inner iterations l; Karimireddy et al. (ICML 2021) use a single
    /// iteration in their experiments.</summary>
    public int ClippingIterations { get; init; } = 1;
    /// <summary>Weiszfeld stops when an iteration moves z by less than this fraction of the mean
    /// distance from the inputs to z (a numerical stopping rule, not a model constant).</summary>
    public double WeiszfeldTolerance { get; init; } = 1e-6;
    /// <summary>Weiszfeld's iteration cap.</summary>
    public int WeiszfeldMaxIterations { get; init; } = 100;
    /// <summary>Weiszfeld's smoothing nu: distances below it count as nu, so an iterate that lands on a
    /// data point does not divide by zero (smoothed Weiszfeld, Pillutla et al., IEEE TSP 2022).</summary>
    public double WeiszfeldSmoothing { get; init; } = 1e-9;

    /// <summary>Bucketing's bucket size s; required when bucketing is used (Karimireddy et al. 2022
    /// analyse s ~ n / (delta n) buckets, which depends on the assumed Byzantine fraction).</summary>
    public int? BucketSize { get; init; }

    /// <summary>Path of the scenario section these options came from, for error messages.</summary>
    public string KeyPath { get; init; } = "defence";

    internal void CheckShape()
    {
        if (Workers < 1) throw new DependabilitySettingException($"{KeyPath}.workers", $"need at least 1 worker, got {Workers}");
        if (Dimension < 1) throw new DependabilitySettingException($"{KeyPath}.dimension", $"need at least 1 coordinate, got {Dimension}");
        if (Byzantine < 0) throw new DependabilitySettingException($"{KeyPath}.byzantine", $"must be >= 0, got {Byzantine}");
        if (Byzantine >= Workers) throw new DependabilitySettingException($"{KeyPath}.byzantine", $"must be below the number of workers ({Workers}), got {Byzantine}");
    }
}
