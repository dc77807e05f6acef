using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// "A Little Is Enough" (ALIE; Baruch, Baruch and Goldberg, NeurIPS 2019): every Byzantine worker sends
/// mu - z sigma, where mu and sigma are the coordinate-wise mean and (population) standard deviation
/// of the honest gradients. The paper's z_max: the attackers need s = floor(n/2 + 1) - f honest
/// workers to sit farther from the mean than they do, so z = Phi^-1((n - s) / n). The shift stays
/// within the honest spread, which median-type rules and Krum do not flag.
/// </summary>
public sealed class LittleIsEnough : IAttack
{
    private readonly HonestStatistics _stats;
    public LittleIsEnough(AttackOptions options)
    {
        Z = options.Z ?? ZMax(options.Workers, options.Byzantine, options.KeyPath);
        if (!double.IsFinite(Z)) throw new DependabilitySettingException($"{options.KeyPath}.z", $"must be finite, got {Z}");
        _stats = new HonestStatistics(options.Dimension);
    }

    public string Name => "alie";
    /// <summary>The z in use.</summary>
    public double Z { get; }

    /// <summary>Baruch et al.'s z_max for n workers of which f are Byzantine.</summary>
    /// <exception cref="DependabilitySettingException">When s = floor(n/2 + 1) - f &lt;= 0 the formula has no finite z
    /// (the attackers are a majority already).</exception>
    public static double ZMax(int n, int f, string keyPath = "attack")
    {
        int s = n / 2 + 1 - f;
        if (s <= 0) throw new DependabilitySettingException($"{keyPath}.byzantine", $"ALIE's z_max needs floor(n/2 + 1) - f > 0, got n = {n}, f = {f}; give z explicitly");
        return MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (double)(n - s) / n);
    }

    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng)
    {
        if (byzantine.IsEmpty) return;
        _stats.Compute(gradients, honest, withStd: true);
        var first = gradients.Row(byzantine[0]);
        float z = (float)Z;
        for (int j = 0; j < first.Length; j++) first[j] = _stats.Mean[j] - z * _stats.Std[j];
        for (int k = 1; k < byzantine.Length; k++) first.CopyTo(gradients.Row(byzantine[k]));
    }
}
