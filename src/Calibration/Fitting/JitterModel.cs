namespace Sim.Calibration.Fitting;

/// <summary>
/// Step-to-step variation of iteration time as a multiplicative factor around the median, like
/// the spread of a commuter's journey times around the usual one: a step takes median x X with X
/// drawn from the fitted distribution (lognormal or gamma, chosen by AIC).
/// </summary>
public sealed record JitterModel(
    string Family,
    IReadOnlyDictionary<string, double> Parameters,
    double LogLikelihood,
    double Aic,
    int Samples,
    IReadOnlyDictionary<string, double> AicByFamily)
{
    /// <summary>Core-compatible distribution text, e.g. "lognormal(mu, sigma)" or "gamma(shape, scale)"
    /// (Sim.Core's gamma takes a scale, the inverse of the fitted rate).</summary>
    public string Describe() => Family switch
    {
        "lognormal" => FormattableString.Invariant($"lognormal({Parameters["mu"]:R}, {Parameters["sigma"]:R})"),
        "gamma" => FormattableString.Invariant($"gamma({Parameters["shape"]:R}, {1 / Parameters["rate"]:R})"),
        _ => Family,
    };
}
