using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Lazy availability look-ups on flattened interval arrays.</summary>
public class AvailabilityTests
{
    private static ClientPopulation WithIntervals(int[] offsets, double[] begin, double[] end, double period)
    {
        int n = offsets.Length - 1;
        var (sps, up, down, samples) = TestPopulations.FixedDuration(n, 1);
        return new ClientPopulation(sps, up, down, samples, offsets, begin, end, period);
    }

    [Fact]
    public void AbsoluteIntervalsAnswerOnlineAndUntil()
    {
        // client 0: [10, 20) and [20, 30) touch -> one stretch; [50, 60). client 1: never.
        var p = WithIntervals([0, 3, 3], [10, 20, 50], [20, 30, 60], 0);
        Assert.False(p.IsOnline(0, 9.99));
        Assert.Equal(30, p.OnlineUntil(0, 10));
        Assert.Equal(30, p.OnlineUntil(0, 25));
        Assert.False(p.IsOnline(0, 30));
        Assert.Equal(60, p.OnlineUntil(0, 55));
        Assert.False(p.IsOnline(0, 1e9));
        Assert.False(p.IsOnline(1, 15));
    }

    [Fact]
    public void PeriodicIntervalsWrapAcrossMidnight()
    {
        // Day of 100 s: client 0 online [80, 100) and [0, 10) -> a window 80..110 that repeats.
        // Client 1 covers the whole day -> online forever.
        var p = WithIntervals([0, 2, 3], [0, 80, 0], [10, 100, 100], 100);
        Assert.Equal(110, p.OnlineUntil(0, 85));
        Assert.Equal(310, p.OnlineUntil(0, 295));
        Assert.Equal(210, p.OnlineUntil(0, 205));
        Assert.False(p.IsOnline(0, 150));
        Assert.Equal(double.PositiveInfinity, p.OnlineUntil(1, 12345));
    }

    [Fact]
    public void InvalidIntervalsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => WithIntervals([0, 2], [10, 15], [20, 30], 0)); // overlap
        Assert.Throws<ArgumentException>(() => WithIntervals([0, 1], [10], [120], 100));       // beyond period
    }

    [Fact]
    public void SyntheticPopulationIsDeterministicAndDiurnal()
    {
        var spec = new PopulationSpec();
        var a = SyntheticPopulation.Generate(spec, 20_000, seed: 7);
        var b = SyntheticPopulation.Generate(spec, 20_000, seed: 7);
        Assert.Equal(a.SecondsPerSample, b.SecondsPerSample);
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.OnlineFraction(3 * 3600), b.OnlineFraction(3 * 3600));
        // Night (03:00) has far more devices idle and charging than mid-afternoon (15:00).
        double night = a.OnlineFraction(3 * 3600), afternoon = a.OnlineFraction(15 * 3600);
        Assert.True(night > 0.5 && afternoon < 0.15 && night > 4 * afternoon, $"night {night}, afternoon {afternoon}");
        // Median speeds come back from the documented medians (lognormal median = exp(mu)).
        Assert.Equal(0.05, Median(a.SecondsPerSample), 0.05 * 0.05);
        Assert.Equal(40e6 / 8, Median(a.DownlinkBytesPerSecond), 40e6 / 8 * 0.05);
    }

    private static double Median(float[] xs)
    {
        var copy = (float[])xs.Clone();
        Array.Sort(copy);
        return copy[copy.Length / 2];
    }
}
