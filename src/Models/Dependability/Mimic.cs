using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Mimic (Karimireddy, He and Jaggi, ICLR 2022): every Byzantine worker sends a copy of one honest
/// worker's gradient, over-weighting that worker's data, which hurts under non-IID data without
/// looking like an outlier. Simplification: the target is fixed (given, or the lowest-indexed honest
/// worker) instead of the paper's variance-maximising choice.
/// </summary>
public sealed class Mimic(AttackOptions options) : IAttack
{
    private readonly int? _target = options.MimicTarget;
    public string Name => "mimic";

    /// <summary>The worker copied in the last round.</summary>
    public int LastTarget { get; private set; } = -1;

    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        int target = honest[0];
        if (_target is { } t && honest.Contains(t)) target = t;
        LastTarget = target;
        foreach (int b in byzantine) gradients.Row(target).CopyTo(gradients.Row(b));
    }
}
