using Sim.Core.Randomness;

namespace Sim.Models.Cluster;

/// <summary>
/// Mean response times of the single-server policies the cluster schedulers reduce to with one GPU
/// and one-GPU jobs, for Poisson arrivals at rate lambda and i.i.d. job sizes S (M/G/1), after
/// Harchol-Balter, Performance Modeling and Design of Computer Systems (Cambridge, 2013):
/// processor sharing (ch. 22), least attained service / foreground-background (ch. 30) and SRPT
/// (ch. 33, Schrage and Miller 1966). The conditional forms E[T(x)] are integrated against the size
/// distribution numerically from its CDF (midpoint rule over a geometric grid reaching 1 - 1e-12 of
/// the mass), so any distribution the parser reads can serve as an oracle.
/// </summary>
public static class ClusterQueueingFormulas
{
    /// <summary>M/G/1-PS: E[T] = E[S] / (1 - rho), whatever the size distribution.</summary>
    public static double PsResponseTime(double lambda, double meanSize)
    {
        double rho = lambda * meanSize;
        if (!(rho < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "needs rho < 1");
        return meanSize / (1 - rho);
    }

    /// <summary>
    /// M/G/1 least attained service: E[T(x)] = x / (1 - rho_x) + lambda E[min(S,x)^2] / (2 (1 - rho_x)^2),
    /// with rho_x = lambda E[min(S,x)]; returns E[T] = E[E[T(S)]].
    /// </summary>
    public static double LasResponseTime(double lambda, IDistribution size) =>
        Integrate(lambda, size, (x, m1, m2, tail, _) =>
        {
            double eMin = m1 + x * tail, eMin2 = m2 + x * x * tail;
            double rho = lambda * eMin;
            return x / (1 - rho) + lambda * eMin2 / (2 * (1 - rho) * (1 - rho));
        });

    /// <summary>
    /// M/G/1 SRPT: E[T(x)] = lambda (m2(x) + x^2 (1 - F(x))) / (2 (1 - rho(x))^2) + integral_0^x dt / (1 - rho(t)),
    /// with m2(x) = E[S^2; S &lt;= x] and rho(x) = lambda E[S; S &lt;= x]; returns E[T].
    /// </summary>
    public static double SrptResponseTime(double lambda, IDistribution size) =>
        Integrate(lambda, size, (x, m1, m2, tail, residence) =>
        {
            double rho = lambda * m1;
            return lambda * (m2 + x * x * tail) / (2 * (1 - rho) * (1 - rho)) + residence;
        });

    /// <summary>Conditional response time given the partial moments at x: (x, E[S;S&lt;=x], E[S^2;S&lt;=x], 1-F(x), integral_0^x dt/(1-lambda E[S;S&lt;=t])).</summary>
    private delegate double Conditional(double x, double m1, double m2, double tail, double residence);

    private static double Integrate(double lambda, IDistribution size, Conditional t)
    {
        ArgumentNullException.ThrowIfNull(size);
        double mean = size.Mean;
        if (!(lambda * mean < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "needs rho < 1");
        double hi = mean;
        while (1 - size.Cdf(hi) > 1e-12 && hi < mean * 1e12) hi *= 2;
        double lo = mean * 1e-9;
        const int cells = 400_000;
        double ratio = Math.Pow(hi / lo, 1.0 / cells);
        double m1 = 0, m2 = 0, residence = 0, result = 0;
        double xPrev = 0, fPrev = size.Cdf(0);
        double x = lo;
        for (int i = 0; i <= cells; i++, x *= ratio)
        {
            double f = size.Cdf(x);
            double mid = 0.5 * (xPrev + x), dF = f - fPrev;
            // Residence integral up to mid uses m1 just before this cell (rho(t) is continuous in t).
            residence += (mid - xPrev) / (1 - lambda * m1);
            double m1Mid = m1 + mid * dF * 0.5, m2Mid = m2 + mid * mid * dF * 0.5;
            if (dF > 0) result += t(mid, m1Mid, m2Mid, 1 - (fPrev + 0.5 * dF), residence) * dF;
            m1 += mid * dF;
            m2 += mid * mid * dF;
            residence += (x - mid) / (1 - lambda * m1);
            xPrev = x;
            fPrev = f;
        }
        return result;
    }
}
