using Sim.Core.Randomness;
using Sim.Core.Samples;
using Sim.Models.Cluster;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Cluster;

/// <summary>
/// The cluster simulator against queueing theory: one-GPU jobs on c GPUs are an M/G/c queue, and each
/// policy must reproduce its closed form inside the 99% confidence interval of 20 replications
/// (fixed seeds, so the verdict is reproducible).
/// </summary>
public class QueueingOracleTests(ITestOutputHelper output)
{
    // Hyperexponential sizes with mean 1 and squared coefficient of variation 5.5: 90% of jobs are
    // short (mean 0.5), 10% long (mean 5.5) - decreasing hazard rate, where attained service predicts
    // remaining work.
    private static readonly IDistribution HeavySizes = new Mixture([(0.9, new Exponential(2)), (0.1, new Exponential(1 / 5.5))]);

    private void Check(string what, double analytic, Sim.Core.Statistics.ConfidenceInterval ci)
    {
        output.WriteLine($"{what}: simulated {ci}, analytic {analytic:G6}");
        Assert.True(ci.Contains(analytic), $"{what}: {ci} does not contain {analytic}");
    }

    [Fact]
    public void FifoOnFourGpusIsMMcErlangC()
    {
        double lambda = 2.8, mu = 1;
        int c = 4;
        double response = QueueingFormulas.MMcWait(lambda, mu, c) + 1 / mu;
        Check("M/M/4 FIFO E[T]", response, QueueingRuns.Replicate(s => QueueingRuns.Run("fifo", lambda, new Exponential(mu), c, s).MeanCompletionTime));
        Check("M/M/4 FIFO E[Wq]", QueueingFormulas.MMcWait(lambda, mu, c),
            QueueingRuns.Replicate(s => QueueingRuns.Run("fifo", lambda, new Exponential(mu), c, s).MeanQueueingDelay));
    }

    [Fact]
    public void ProcessorSharingIsInsensitiveToTheSizeDistribution()
    {
        double lambda = 0.7;
        double response = ClusterQueueingFormulas.PsResponseTime(lambda, HeavySizes.Mean);
        Assert.Equal(1 / 0.3, response, 12);
        Check("M/H2/1-PS E[T]", response, QueueingRuns.Replicate(s => QueueingRuns.Run("ps", lambda, HeavySizes, 1, s).MeanCompletionTime));
    }

    [Fact]
    public void SrtfOnOneGpuIsSrpt()
    {
        double lambda = 0.7;
        var size = new Exponential(1);
        double response = ClusterQueueingFormulas.SrptResponseTime(lambda, size);
        Assert.True(response < 1 / (1 - lambda), "SRPT must beat FCFS/PS on M/M/1");
        Check("M/M/1-SRPT E[T]", response, QueueingRuns.Replicate(s => QueueingRuns.Run("srtf", lambda, size, 1, s).MeanCompletionTime));
    }

    [Fact]
    public void LeastAttainedServiceMatchesItsMG1Formula()
    {
        double lambda = 0.6;
        double response = ClusterQueueingFormulas.LasResponseTime(lambda, HeavySizes);
        Assert.True(response < ClusterQueueingFormulas.PsResponseTime(lambda, HeavySizes.Mean), "LAS must beat PS for decreasing hazard rate");
        Check("M/H2/1-LAS E[T]", response, QueueingRuns.Replicate(s => QueueingRuns.Run("las", lambda, HeavySizes, 1, s).MeanCompletionTime));
    }

    [Fact]
    public void FormulasAgreeWhereTheoryMakesThemEqual()
    {
        // Exponential sizes: attained service says nothing about what is left, so LAS's mean equals
        // PS's (and FCFS's) 1/(mu - lambda). Nearly equal sizes: SRPT can only reorder jobs of almost
        // the same size, so its mean approaches FCFS's Pollaczek-Khinchine value (2.1667 at rho = 0.7).
        double lambda = 0.7;
        Assert.Equal(1 / (1 - lambda), ClusterQueueingFormulas.LasResponseTime(lambda, new Exponential(1)), 4);
        double fcfs = QueueingFormulas.MG1Wait(lambda, 1, 0) + 1;
        Assert.Equal(fcfs, ClusterQueueingFormulas.SrptResponseTime(lambda, new Uniform(0.99, 1.01)), fcfs * 0.01);
    }

    [Fact]
    public void LittlesLawHoldsOnEverySamplePathAndMatchesMMc()
    {
        // Sample path: a run that starts and ends empty has integral N(t) dt = sum of response times exactly.
        foreach (var policy in new[] { "fifo", "srtf", "las", "ps", "tiresias" })
        {
            var outcome = QueueingRuns.Run(policy, 2.8, new Exponential(1), 4, 7, warmup: 0, measured: 5_000);
            // The run stops when the 5,000 measured jobs are done; later arrivals may still be inside,
            // so compare on a finite list instead.
            var jobs = new JobList(outcome.Jobs.Select(j => new ClusterJob(j.Id, j.Arrival, 1, j.Work, j.Work)));
            var closed = new ClusterSimulator(new GpuCluster(4, 1), SchedulerRegistry.Create(policy)).Run(jobs);
            double sum = closed.Jobs.Sum(j => j.CompletionTime);
            Assert.Equal(sum, closed.JobSecondsInSystem, sum * 1e-9);
        }
        // Against theory: L = lambda E[T] for M/M/4.
        double lambda = 2.8;
        double l = lambda * (QueueingFormulas.MMcWait(lambda, 1, 4) + 1);
        Check("M/M/4 L", l, QueueingRuns.Replicate(s => QueueingRuns.Run("fifo", lambda, new Exponential(1), 4, s).MeanInSystem));
    }
}
