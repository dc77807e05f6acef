namespace Sim.Core.Samples;

/// <summary>
/// Closed forms of classical queueing theory (Kleinrock, Queueing Systems vol. 1; Gross and Harris,
/// Fundamentals of Queueing Theory) that the simulator must reproduce.
/// </summary>
public static class QueueingFormulas
{
    /// <summary>M/M/1 mean time in system: 1/(mu - lambda).</summary>
    public static double MM1Response(double lambda, double mu) => 1 / (mu - lambda);

    /// <summary>M/M/1 mean number waiting in queue: rho^2/(1 - rho).</summary>
    public static double MM1QueueLength(double lambda, double mu) { double r = lambda / mu; return r * r / (1 - r); }

    /// <summary>Erlang C: probability an arrival must wait in M/M/c, with offered load a = lambda/mu.</summary>
    public static double ErlangC(double lambda, double mu, int c)
    {
        double a = lambda / mu, rho = a / c;
        if (rho >= 1) return 1;
        // Sum a^k/k! for k < c, computed with a running term to avoid overflow.
        double term = 1, sum = 1;
        for (int k = 1; k < c; k++) { term *= a / k; sum += term; }
        double last = term * a / c; // a^c / c!
        double top = last / (1 - rho);
        return top / (sum + top);
    }

    /// <summary>M/M/c mean wait in queue: C(c, a) / (c mu - lambda).</summary>
    public static double MMcWait(double lambda, double mu, int c) => ErlangC(lambda, mu, c) / (c * mu - lambda);

    /// <summary>Pollaczek-Khinchine mean wait of M/G/1: lambda E[S^2] / (2 (1 - rho)).</summary>
    public static double MG1Wait(double lambda, double meanService, double serviceVariance)
    {
        double rho = lambda * meanService;
        double secondMoment = serviceVariance + meanService * meanService;
        return lambda * secondMoment / (2 * (1 - rho));
    }
}
