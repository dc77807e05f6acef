using Sim.Core.Randomness;
using Sim.Core.Samples;

namespace Sim.Core.Tests;

public class DeterminismTests
{
    [Fact]
    public void SameSeedGivesBitIdenticalResults()
    {
        var a = QueueingStation.Run(314, 0.85, new LogNormal(0, 0.5), 2, 20_000);
        var b = QueueingStation.Run(314, 0.85, new LogNormal(0, 0.5), 2, 20_000);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.MeanResponse), BitConverter.DoubleToInt64Bits(b.MeanResponse));
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.EndTime), BitConverter.DoubleToInt64Bits(b.EndTime));
        Assert.Equal(a, b);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentResults()
    {
        var a = QueueingStation.Run(1, 0.85, new Exponential(1), 1, 5_000);
        var b = QueueingStation.Run(2, 0.85, new Exponential(1), 1, 5_000);
        Assert.NotEqual(a.MeanResponse, b.MeanResponse);
    }

    [Fact]
    public void BarrierWorkloadIsDeterministicAndMatchesOrderStatistics()
    {
        var x = KernelWorkloads.BarrierWorkload(64, 50, new LogNormal(0, 0.25), seed: 3);
        var y = KernelWorkloads.BarrierWorkload(64, 50, new LogNormal(0, 0.25), seed: 3);
        Assert.Equal(x.Now, y.Now);
        Assert.Equal(x.EventsProcessed, y.EventsProcessed);
        // Each round lasts the maximum of 64 lognormal draws: E[max] = integral of 1 - F(t)^64.
        var d = new LogNormal(0, 0.25);
        double expectedMax = 0, dt = 1e-4;
        for (double t = dt / 2; t < 10; t += dt) expectedMax += (1 - Math.Pow(d.Cdf(t), 64)) * dt;
        Assert.InRange(x.Now / 50, expectedMax * 0.95, expectedMax * 1.05);
    }

    [Fact]
    public void StormsVisitEveryTimeout()
    {
        Assert.Equal(10 * 100 + 10 + 10, KernelWorkloads.TimeoutStorm(10, 100).EventsProcessed); // + 10 starts + 10 completions
        Assert.Equal(10 * 100, KernelWorkloads.CallbackStorm(10, 100).EventsProcessed);
    }
}
