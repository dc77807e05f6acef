using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Inner-product manipulation (Xie, Koyejo and Gupta, "Fall of Empires", UAI 2019): every Byzantine
/// worker sends -epsilon times the mean of the honest gradients, so that the aggregate's inner product
/// with the true gradient turns negative; a small epsilon hides among honest gradients (median,
/// Krum), a large one overwhelms plain averaging.
/// </summary>
public sealed class InnerProductManipulation : IAttack
{
    private readonly float _epsilon;
    private readonly HonestStatistics _stats;
    public InnerProductManipulation(AttackOptions options)
    {
        if (options.Epsilon is not { } e) throw new DependabilitySettingException($"{options.KeyPath}.epsilon", "inner-product manipulation needs epsilon (> 0)");
        if (!(e > 0) || !double.IsFinite(e)) throw new DependabilitySettingException($"{options.KeyPath}.epsilon", $"must be a finite number > 0, got {e}");
        _epsilon = (float)e;
        _stats = new HonestStatistics(options.Dimension);
    }
    public string Name => "ipm";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        if (byzantine.IsEmpty) return;
        _stats.Compute(gradients, honest, withStd: false);
        foreach (int b in byzantine)
        {
            var row = gradients.Row(b);
            for (int j = 0; j < row.Length; j++) row[j] = -_epsilon * _stats.Mean[j];
        }
    }
}
