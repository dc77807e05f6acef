using Sim.Core.Randomness;
using Sim.Models.Learning;

namespace Sim.Learning.Tests.StatisticalEfficiency;

public class NoiseScaleEstimatorTests
{
    /// <summary>Per-example gradients g_i = G + ξ_i with ξ_i ~ N(0, σ² I) in d dimensions have
    /// B_simple = d σ² / |G|²; the two-batch estimator must recover it from batch means alone.</summary>
    [Fact]
    public void Recovers_the_noise_scale_of_synthetic_gradients()
    {
        const int d = 20, small = 4, big = 64, trials = 4000;
        const double sigma = 0.5;
        var rng = new RandomStream(7, "noise-scale-test");
        var g = new double[d];
        for (int i = 0; i < d; i++) g[i] = 0.1 * (i % 3 - 1) + 0.05;
        double gNorm2 = g.Sum(x => x * x);
        double expected = d * sigma * sigma / gNorm2;

        var estimator = new NoiseScaleEstimator(small, big);
        var sumSmall = new double[d];
        var sumBig = new double[d];
        for (int t = 0; t < trials; t++)
        {
            Array.Clear(sumSmall);
            Array.Clear(sumBig);
            for (int e = 0; e < big; e++)
                for (int i = 0; i < d; i++)
                {
                    double x = g[i] + sigma * Normal(rng);
                    sumBig[i] += x;
                    if (e < small) sumSmall[i] += x;
                }
            double s2 = 0, b2 = 0;
            for (int i = 0; i < d; i++) { s2 += Math.Pow(sumSmall[i] / small, 2); b2 += Math.Pow(sumBig[i] / big, 2); }
            estimator.Add(s2, b2);
        }
        Assert.Equal(trials, estimator.Count);
        Assert.InRange(estimator.Trace, 0.9 * d * sigma * sigma, 1.1 * d * sigma * sigma);
        Assert.InRange(estimator.NoiseScale, 0.85 * expected, 1.15 * expected);
    }

    [Fact]
    public void Is_NaN_before_any_measurement_and_refuses_bad_batches()
    {
        Assert.True(double.IsNaN(new NoiseScaleEstimator(1, 2).NoiseScale));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseScaleEstimator(4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseScaleEstimator(0, 4));
    }

    private static double Normal(RandomStream rng) =>
        Math.Sqrt(-2 * Math.Log(rng.NextOpenDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
