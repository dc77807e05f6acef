namespace Sim.Core.Randomness;

/// <summary>
/// A recipe for random durations or sizes, like "service takes about a minute, exponentially". Every
/// distribution samples from a <see cref="RandomStream"/>, knows its mean, variance and CDF (the CDF
/// feeds analytic oracles such as expected maxima), and prints itself in the same syntax that
/// <see cref="Distributions.Parse"/> reads.
/// </summary>
public interface IDistribution
{
    double Sample(RandomStream rng);
    double Mean { get; }
    double Variance { get; }
    /// <summary>P(X &lt;= x).</summary>
    double Cdf(double x);
}
