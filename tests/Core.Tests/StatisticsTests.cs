using Sim.Core.Randomness;
using Sim.Core.Statistics;

namespace Sim.Core.Tests;

public class StatisticsTests
{
    [Fact]
    public void TallyMomentsAndPercentilesOnKnownData()
    {
        var t = new Tally();
        foreach (var x in Enumerable.Range(1, 101)) t.Add(x);
        Assert.Equal(51, t.Mean, 12);
        Assert.Equal(858.5, t.Variance, 9); // (n^2 - 1)/12 * n/(n - 1) for 1..n
        Assert.Equal(1, t.Min);
        Assert.Equal(101, t.Max);
        Assert.Equal(51, t.P50, 12);
        Assert.Equal(91, t.P90, 12);
        Assert.Equal(100, t.P99, 12);
        Assert.Equal(26, t.Percentile(0.25), 12);
    }

    [Fact]
    public void PercentileInterpolatesLikeNumpy()
    {
        var t = new Tally();
        foreach (var x in new[] { 10.0, 1, 4, 2 }) t.Add(x);
        // numpy.percentile([1,2,4,10], [50, 90]) = [3.0, 8.2]
        Assert.Equal(3.0, t.P50, 12);
        Assert.Equal(8.2, t.P90, 12);
    }

    [Fact]
    public void ReservoirKeepsBoundedMemoryAndUnbiasedPercentiles()
    {
        var t = new Tally(maxKept: 10_000);
        var rng = new RandomStream(1);
        for (int i = 0; i < 1_000_000; i++) t.Add(rng.NextDouble());
        Assert.Equal(10_000, t.Kept.Length);
        Assert.False(t.PercentilesExact);
        Assert.InRange(t.P50, 0.48, 0.52);
        Assert.InRange(t.P90, 0.88, 0.92);
        Assert.InRange(t.Mean, 0.499, 0.501); // exact from all observations
    }

    [Fact]
    public void TimeWeightedAverageOfAPiecewiseLevel()
    {
        var tw = new TimeWeighted(0, 0);
        tw.Update(2, 3);  // 0 for [0,2)
        tw.Update(6, 1);  // 3 for [2,6)
        // 1 for [6,10)
        Assert.Equal((0 * 2 + 3 * 4 + 1 * 4) / 10.0, tw.Mean(10), 12);
        Assert.Equal(3, tw.Max);
        Assert.Throws<ArgumentOutOfRangeException>(() => tw.Update(5, 0));
    }

    [Fact]
    public void ConfidenceIntervalMatchesStudentT()
    {
        var ci = ConfidenceInterval.Of(new[] { 1.0, 2, 3, 4, 5 }, 0.95);
        // t(0.975, 4) = 2.7764451, s = sqrt(2.5)
        Assert.Equal(3, ci.Mean, 12);
        Assert.Equal(2.7764451051977 * Math.Sqrt(2.5) / Math.Sqrt(5), ci.HalfWidth, 9);
    }

    [Fact]
    public void ConfidenceIntervalsCoverTheTrueMeanAtTheirLevel()
    {
        // 1,000 intervals of 10 exponential draws each: about 90% should cover the true mean.
        var rng = new RandomStream(77);
        int covered = 0;
        for (int k = 0; k < 1000; k++)
        {
            var xs = Enumerable.Range(0, 10).Select(_ => rng.NextExponential(1) + rng.NextExponential(1)).ToArray();
            if (ConfidenceInterval.Of(xs, 0.90).Contains(2.0)) covered++;
        }
        Assert.InRange(covered, 850, 930); // t intervals on a skewed sum: slightly under-cover, as known
    }
}
