using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>No attack: every worker's gradient is sent as computed.</summary>
public sealed class NoAttack : IAttack
{
    public string Name => "none";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng) { }
}
