namespace Sim.Core.Randomness;

/// <summary>
/// A weighted blend: "usually fast, sometimes very slow". Each draw first picks a component with
/// probability proportional to its weight, then samples it.
/// </summary>
public sealed class Mixture : IDistribution
{
    private readonly double[] _cumulative;

    public Mixture(IReadOnlyList<(double Weight, IDistribution Component)> components)
    {
        if (components.Count == 0) throw new ArgumentException("a mixture needs at least one component", nameof(components));
        double total = 0;
        foreach (var (w, _) in components)
        {
            if (!(w > 0) || !double.IsFinite(w)) throw new ArgumentException($"mixture weights must be > 0, got {w}", nameof(components));
            total += w;
        }
        Components = components.Select(c => (c.Weight / total, c.Component)).ToArray();
        _cumulative = new double[Components.Count];
        double acc = 0;
        for (int i = 0; i < Components.Count; i++) { acc += Components[i].Weight; _cumulative[i] = acc; }
        _cumulative[^1] = 1.0;
        Mean = Components.Sum(c => c.Weight * c.Component.Mean);
        double second = Components.Sum(c => c.Weight * (c.Component.Variance + c.Component.Mean * c.Component.Mean));
        Variance = second - Mean * Mean;
    }

    /// <summary>Components with weights normalised to sum to 1.</summary>
    public IReadOnlyList<(double Weight, IDistribution Component)> Components { get; }
    public double Mean { get; }
    public double Variance { get; }

    public double Sample(RandomStream rng)
    {
        double u = rng.NextDouble();
        for (int i = 0; i < _cumulative.Length; i++)
            if (u < _cumulative[i]) return Components[i].Component.Sample(rng);
        return Components[^1].Component.Sample(rng);
    }

    public double Cdf(double x) => Components.Sum(c => c.Weight * c.Component.Cdf(x));

    public override string ToString() =>
        $"mixture({string.Join(", ", Components.Select(c => $"{Distributions.Format(c.Weight)} * {c.Component}"))})";
}
