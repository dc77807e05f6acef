using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Sim.Calibration.Fitting;

/// <summary>
/// Fits the step-time jitter distribution by maximum likelihood, like a weather station choosing
/// which curve best describes a season of rainfall. Samples are divided by the median of their
/// own group (one model, batch size and world size), pooled, and two candidate families are
/// fitted: lognormal (closed-form MLE: mean and standard deviation of ln x) and gamma (MLE of the
/// shape solves ln k - digamma(k) = ln(mean x) - mean(ln x), solved by bisection, then
/// rate = k / mean x). The Akaike information criterion AIC = 2p - 2 ln L (p = 2 for both) picks.
/// </summary>
public static class JitterFitter
{
    public static JitterModel Fit(IEnumerable<IReadOnlyList<double>> groups)
    {
        var ratios = new List<double>();
        foreach (var g in groups)
        {
            if (g.Count == 0) continue;
            double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(g.ToArray());
            foreach (var x in g)
            {
                if (!(x > 0) || !double.IsFinite(x)) throw new ArgumentException($"step times must be positive and finite, got {x}");
                ratios.Add(x / median);
            }
        }
        if (ratios.Count < 3) throw new ArgumentException($"jitter fitting needs at least 3 step times, got {ratios.Count}");
        if (ratios.Distinct().Count() < 2) throw new ArgumentException("all step times are identical: no jitter to fit");

        double meanLog = ratios.Average(Math.Log);
        double sdLog = Math.Sqrt(ratios.Average(x => Math.Pow(Math.Log(x) - meanLog, 2)));
        var lognormal = new LogNormal(meanLog, sdLog);
        double llLognormal = ratios.Sum(lognormal.DensityLn);

        double mean = ratios.Average();
        double target = Math.Log(mean) - meanLog; // > 0 by Jensen's inequality unless all equal
        double shape = SolveGammaShape(target);
        double rate = shape / mean;
        var gamma = new Gamma(shape, rate);
        double llGamma = ratios.Sum(gamma.DensityLn);

        double aicLognormal = 4 - 2 * llLognormal, aicGamma = 4 - 2 * llGamma;
        var aics = new SortedDictionary<string, double> { ["gamma"] = aicGamma, ["lognormal"] = aicLognormal };
        return aicLognormal <= aicGamma
            ? new JitterModel("lognormal", new SortedDictionary<string, double> { ["mu"] = meanLog, ["sigma"] = sdLog }, llLognormal, aicLognormal, ratios.Count, aics)
            : new JitterModel("gamma", new SortedDictionary<string, double> { ["shape"] = shape, ["rate"] = rate }, llGamma, aicGamma, ratios.Count, aics);
    }

    /// <summary>f(k) = ln k - digamma(k) falls monotonically from +inf to 0; bisection in log k.</summary>
    internal static double SolveGammaShape(double target)
    {
        double lo = Math.Log(1e-6), hi = Math.Log(1e9);
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            double k = Math.Exp(mid);
            if (Math.Log(k) - SpecialFunctions.DiGamma(k) > target) lo = mid; else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }
}
