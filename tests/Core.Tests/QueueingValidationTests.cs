using Sim.Core.Randomness;
using Sim.Core.Samples;
using Sim.Core.Statistics;
using Xunit.Abstractions;

namespace Sim.Core.Tests;

/// <summary>
/// The kernel against closed forms of queueing theory: each analytic value must lie inside the 99%
/// confidence interval of independent replications (fixed seeds, so the verdict is reproducible).
/// </summary>
public class QueueingValidationTests(ITestOutputHelper output)
{
    private const int Replications = 20;
    private const long Customers = 60_000;
    private const long Warmup = 6_000;

    private ConfidenceInterval Replicate(Func<ulong, double> run, string what, double analytic)
    {
        var values = Enumerable.Range(0, Replications).Select(r => run((ulong)(1000 + r))).ToArray();
        var ci = ConfidenceInterval.Of(values, 0.99);
        output.WriteLine($"{what}: simulated {ci}, analytic {analytic:G6}");
        return ci;
    }

    [Fact]
    public void MM1ResponseTimeAndQueueLength()
    {
        double lambda = 0.7, mu = 1.0;
        double response = QueueingFormulas.MM1Response(lambda, mu);
        double queue = QueueingFormulas.MM1QueueLength(lambda, mu);
        var ciResponse = Replicate(s => QueueingStation.Run(s, lambda, new Exponential(mu), 1, Customers, Warmup).MeanResponse, "M/M/1 W", response);
        var ciQueue = Replicate(s => QueueingStation.Run(s, lambda, new Exponential(mu), 1, Customers, Warmup).MeanQueueLength, "M/M/1 Lq", queue);
        Assert.True(ciResponse.Contains(response), $"W: {ciResponse} vs {response}");
        Assert.True(ciQueue.Contains(queue), $"Lq: {ciQueue} vs {queue}");
    }

    [Fact]
    public void MMcErlangCWaitingProbabilityAndMeanWait()
    {
        double lambda = 3.2, mu = 1.0;
        int c = 4;
        double pWait = QueueingFormulas.ErlangC(lambda, mu, c);
        double wait = QueueingFormulas.MMcWait(lambda, mu, c);
        var ciP = Replicate(s => QueueingStation.Run(s, lambda, new Exponential(mu), c, Customers, Warmup).ProbabilityOfWaiting, "M/M/4 P(wait)", pWait);
        var ciW = Replicate(s => QueueingStation.Run(s, lambda, new Exponential(mu), c, Customers, Warmup).MeanWait, "M/M/4 Wq", wait);
        Assert.True(ciP.Contains(pWait), $"P(wait): {ciP} vs {pWait}");
        Assert.True(ciW.Contains(wait), $"Wq: {ciW} vs {wait}");
    }

    [Fact]
    public void MD1MatchesPollaczekKhinchine()
    {
        double lambda = 0.8;
        var service = new Deterministic(1.0);
        double wait = QueueingFormulas.MG1Wait(lambda, service.Mean, service.Variance);
        Assert.Equal(2.0, wait, 12); // rho/(2 mu (1 - rho)) with rho = 0.8
        var ci = Replicate(s => QueueingStation.Run(s, lambda, service, 1, Customers, Warmup).MeanWait, "M/D/1 Wq", wait);
        Assert.True(ci.Contains(wait), $"{ci} vs {wait}");
    }

    [Fact]
    public void MG1WithLognormalServiceMatchesPollaczekKhinchine()
    {
        double lambda = 0.6;
        var service = new LogNormal(-0.125, 0.5); // mean 1, cv^2 = e^0.25 - 1
        double wait = QueueingFormulas.MG1Wait(lambda, service.Mean, service.Variance);
        var ci = Replicate(s => QueueingStation.Run(s, lambda, service, 1, Customers, Warmup).MeanWait, "M/G/1 Wq", wait);
        Assert.True(ci.Contains(wait), $"{ci} vs {wait}");
    }

    [Fact]
    public void TandemJacksonNetworkDecomposesIntoIndependentMM1s()
    {
        double lambda = 0.5, mu1 = 1.0, mu2 = 0.8;
        double total = QueueingFormulas.MM1Response(lambda, mu1) + QueueingFormulas.MM1Response(lambda, mu2);
        double n2 = lambda / mu2 / (1 - lambda / mu2);
        var ciT = Replicate(s => TandemNetwork.Run(s, lambda, mu1, mu2, Customers, Warmup).MeanResponse, "tandem W", total);
        var ciN2 = Replicate(s => TandemNetwork.Run(s, lambda, mu1, mu2, Customers, Warmup).MeanInSystem2, "tandem L2", n2);
        Assert.True(ciT.Contains(total), $"{ciT} vs {total}");
        Assert.True(ciN2.Contains(n2), $"{ciN2} vs {n2}");
    }

    [Fact]
    public void LittlesLawHoldsWithinOneRun()
    {
        var r = QueueingStation.Run(9, 0.9, new Exponential(1.0), 1, 200_000);
        // L = lambda W, with lambda estimated by customers / time.
        double lambdaHat = r.Customers / r.EndTime;
        Assert.Equal(r.MeanInSystem, lambdaHat * r.MeanResponse, 2);
    }
}
