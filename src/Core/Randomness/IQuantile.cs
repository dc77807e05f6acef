namespace Sim.Core.Randomness;

/// <summary>
/// A distribution whose inverse CDF is known. Knowing it makes order statistics cheap: the maximum of n
/// i.i.d. draws has the distribution of F^-1(U^(1/n)), one draw instead of n.
/// </summary>
public interface IQuantile
{
    /// <summary>The p-quantile, F^-1(p), for p in (0, 1).</summary>
    double Quantile(double p);
}
