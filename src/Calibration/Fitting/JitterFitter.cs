using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Sim.Calibration.Fitting;

/// <summary>
/// Fits the step-time jitter distribution by maximum likelihood, like a weather station choosing
/// which curve best describes a season of rainfall. Samples are divided by the median of their
/// own group (one model, batch size and world size), pooled, and two candidate families are
/// fitted, each by maximum likelihood under the constraint that its median is 1: the jitter multiplies
/// a step time fitted to the groups' medians, so a multiplier whose median is not 1 would move every
/// simulated median (an unconstrained lognormal's median is e^mean(ln x), 1.014-1.045 on the right-skewed
/// CPU step times of 2026-12-07). Lognormal: mu = 0, sigma^2 = mean((ln x)^2). Gamma: the rate is the
/// median of a unit-rate gamma of the shape (so the median is 1), the shape maximises the likelihood
/// (golden-section search in ln k around the unconstrained MLE, which solves
/// ln k - digamma(k) = ln(mean x) - mean(ln x)). The Akaike information criterion
/// AIC = 2p - 2 ln L (p = 1 free parameter for both) picks.
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

        const double meanLog = 0; // median 1
        double sdLog = Math.Sqrt(ratios.Average(x => Math.Log(x) * Math.Log(x)));
        var lognormal = new LogNormal(meanLog, sdLog);
        double llLognormal = ratios.Sum(lognormal.DensityLn);

        double mean = ratios.Average();
        double target = Math.Log(mean) - ratios.Average(Math.Log); // > 0 by Jensen's inequality unless all equal
        double shape = MedianOneGammaShape(ratios, SolveGammaShape(target));
        double rate = UnitRateGammaMedian(shape);
        var gamma = new Gamma(shape, rate);
        double llGamma = ratios.Sum(gamma.DensityLn);

        double aicLognormal = 2 - 2 * llLognormal, aicGamma = 2 - 2 * llGamma;
        var aics = new SortedDictionary<string, double> { ["gamma"] = aicGamma, ["lognormal"] = aicLognormal };
        return aicLognormal <= aicGamma
            ? new JitterModel("lognormal", new SortedDictionary<string, double> { ["mu"] = meanLog, ["sigma"] = sdLog }, llLognormal, aicLognormal, ratios.Count, aics)
            : new JitterModel("gamma", new SortedDictionary<string, double> { ["shape"] = shape, ["rate"] = rate }, llGamma, aicGamma, ratios.Count, aics);
    }

    /// <summary>The median of a gamma distribution of shape <paramref name="shape"/> and rate 1: the rate that gives that shape median 1.</summary>
    private static double UnitRateGammaMedian(double shape) => Gamma.InvCDF(shape, 1, 0.5);

    /// <summary>The shape whose median-1 gamma (rate = <see cref="UnitRateGammaMedian"/>) maximises the likelihood of the ratios:
    /// golden-section search in ln k over a factor of 20 either side of the unconstrained estimate.</summary>
    private static double MedianOneGammaShape(IReadOnlyList<double> ratios, double start)
    {
        double Ll(double lnK)
        {
            double k = Math.Exp(lnK);
            var g = new Gamma(k, UnitRateGammaMedian(k));
            return ratios.Sum(g.DensityLn);
        }
        double lo = Math.Log(start / 20), hi = Math.Log(Math.Min(start * 20, 1e7));
        double phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo), fa = Ll(a), fb = Ll(b);
        for (int i = 0; i < 80; i++)
        {
            if (fa < fb) { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = Ll(b); }
            else { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = Ll(a); }
        }
        return Math.Exp(0.5 * (lo + hi));
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
