namespace Sim.Models.Dependability;

/// <summary>
/// A step that transforms the round's gradients before a robust aggregator sees them, to reduce the
/// heterogeneity that robust rules mistake for attacks (nearest-neighbour mixing, bucketing). Built
/// for a fixed input shape; <see cref="Apply"/> returns a matrix the instance owns and overwrites on
/// the next call, and allocates nothing.
/// </summary>
public interface IPreAggregator
{
    string Name { get; }
    /// <summary>Gradients in.</summary>
    int Workers { get; }
    /// <summary>Gradients out (bucketing reduces n to ceil(n / s)).</summary>
    int OutputCount { get; }
    int Dimension { get; }
    GradientMatrix Apply(GradientMatrix inputs);
}
