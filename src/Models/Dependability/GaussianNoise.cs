using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>Gaussian attack: each Byzantine worker sends a vector of independent N(0, sigma^2)
/// coordinates (the Gaussian Byzantine vectors of Blanchard et al., NeurIPS 2017, Sec. 5), drawn from
/// the attack's own stream so that honest workers' randomness is untouched.</summary>
public sealed class GaussianNoise : IAttack
{
    private readonly double _sigma;
    public GaussianNoise(AttackOptions options)
    {
        if (options.Sigma is not { } s) throw new DependabilitySettingException($"{options.KeyPath}.sigma", "the Gaussian attack needs sigma, the standard deviation of each coordinate");
        if (!(s > 0) || !double.IsFinite(s)) throw new DependabilitySettingException($"{options.KeyPath}.sigma", $"must be a finite number > 0, got {s}");
        _sigma = s;
    }
    public string Name => "gaussian";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        foreach (int b in byzantine)
        {
            var row = gradients.Row(b);
            // Box-Muller, both outputs used: two coordinates per pair of uniforms, no allocation.
            for (int j = 0; j < row.Length; j += 2)
            {
                double r = Math.Sqrt(-2 * Math.Log(rng.NextOpenDouble())) * _sigma;
                double theta = 2 * Math.PI * rng.NextDouble();
                row[j] = (float)(r * Math.Cos(theta));
                if (j + 1 < row.Length) row[j + 1] = (float)(r * Math.Sin(theta));
            }
        }
    }
}
