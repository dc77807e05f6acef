namespace Sim.Models.Dependability;

/// <summary>
/// A gradient aggregation rule of a parameter server or of an all-reduce replaced by a robust
/// defence: n gradients in, one update out. An instance is built for a fixed shape (n workers, d
/// coordinates) and owns its scratch buffers, so <see cref="Aggregate"/> allocates nothing.
/// Aggregators are deterministic: equal inputs give bit-identical outputs (ties go to the lowest
/// worker index). Stateful rules (centered clipping keeps its last output as the next centre)
/// say so in their own documentation; <see cref="Reset"/> forgets that state.
/// </summary>
public interface IAggregator
{
    /// <summary>The registry name, e.g. "krum".</summary>
    string Name { get; }

    /// <summary>Workers the instance was built for.</summary>
    int Workers { get; }

    /// <summary>Coordinates per gradient.</summary>
    int Dimension { get; }

    /// <summary>Writes the aggregate of <paramref name="inputs"/> into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">inputs or output do not have the shape the instance was built for.</exception>
    void Aggregate(GradientMatrix inputs, Span<float> output);

    /// <summary>Forgets state carried between rounds (no-op for stateless rules).</summary>
    void Reset() { }
}

/// <summary>Shape checks shared by every aggregator.</summary>
internal static class AggregatorShape
{
    public static void Check(IAggregator a, GradientMatrix inputs, Span<float> output)
    {
        if (inputs.Count != a.Workers || inputs.Dimension != a.Dimension)
            throw new ArgumentException($"{a.Name}: built for {a.Workers} gradients of {a.Dimension} coordinates, got {inputs.Count} of {inputs.Dimension}");
        if (output.Length != a.Dimension)
            throw new ArgumentException($"{a.Name}: output has {output.Length} coordinates, expected {a.Dimension}");
    }
}
