using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>Scaled gradients: each Byzantine worker sends scale x its own honest gradient (a large
/// scale is the "gradient explosion" attack; the model-replacement attack of Bagdasaryan et al.,
/// AISTATS 2020, scales a poisoned update by n / eta).</summary>
public sealed class ScaledGradient : IAttack
{
    private readonly float _scale;
    public ScaledGradient(AttackOptions options)
    {
        if (options.Scale is not { } s) throw new DependabilitySettingException($"{options.KeyPath}.scale", "scaled gradients need a scale");
        if (!double.IsFinite(s)) throw new DependabilitySettingException($"{options.KeyPath}.scale", $"must be finite, got {s}");
        _scale = (float)s;
    }
    public string Name => "scaled";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        foreach (int b in byzantine) VectorMath.Scale(gradients.Row(b), _scale);
    }
}
