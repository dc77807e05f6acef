using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>Sign flipping: each Byzantine worker sends -scale x its own honest gradient (scale 1 by
/// default: the sign flip of Allen-Zhu et al., ICLR 2021, and Li et al.'s RSA experiments, AAAI 2019).</summary>
public sealed class SignFlipping(AttackOptions options) : IAttack
{
    private readonly float _factor = -(float)(options.Scale ?? 1);
    public string Name => "sign-flip";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        foreach (int b in byzantine) VectorMath.Scale(gradients.Row(b), _factor);
    }
}
