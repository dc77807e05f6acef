using MathNet.Numerics.Distributions;

namespace Sim.Core.Statistics;

/// <summary>
/// How sure we are about a mean estimated from independent replications: the Student-t interval
/// mean +- t(1 - (1 - level)/2, n - 1) * s / sqrt(n). Replications (independent seeds) give the
/// independent observations the formula needs, which consecutive samples within one run do not.
/// </summary>
public readonly record struct ConfidenceInterval(double Mean, double HalfWidth, double Level, int Count)
{
    public double Lower => Mean - HalfWidth;
    public double Upper => Mean + HalfWidth;
    public bool Contains(double x) => x >= Lower && x <= Upper;

    public static ConfidenceInterval Of(IReadOnlyList<double> replications, double level = 0.95)
    {
        if (replications.Count < 2) throw new ArgumentException("a confidence interval needs at least 2 replications", nameof(replications));
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "must be in (0, 1)");
        int n = replications.Count;
        double mean = 0;
        foreach (var x in replications) mean += x;
        mean /= n;
        double ss = 0;
        foreach (var x in replications) ss += (x - mean) * (x - mean);
        double sd = Math.Sqrt(ss / (n - 1));
        double t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - level) / 2);
        return new ConfidenceInterval(mean, t * sd / Math.Sqrt(n), level, n);
    }

    public override string ToString() => $"{Mean:G6} ± {HalfWidth:G3} ({Level:P0}, n={Count})";
}
