using Sim.Core.Randomness;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// Measures the simple gradient noise scale B_simple = tr(Σ)/|G|² of a real model at given parameters
/// (McCandlish et al. 2018, appendix A.1): many pairs of gradients over a small and a big random batch
/// of training examples, fed to <see cref="NoiseScaleEstimator"/>. The measurement is independent of any
/// time-to-target run, so it can test the noise-scale model's prediction of where batch scaling bends.
/// </summary>
public static class NoiseScaleProbe
{
    /// <exception cref="ArgumentOutOfRangeException">batches not 0 &lt; small &lt; big &lt;= examples, or pairs &lt; 1.</exception>
    public static NoiseScaleEstimator Measure(IGradientModel model, ReadOnlySpan<float> parameters, int small, int big, int pairs, ulong seed)
    {
        if (!(small > 0 && big > small && big <= model.TrainingExamples)) throw new ArgumentOutOfRangeException(nameof(big), $"need 0 < small < big <= {model.TrainingExamples}, got {small} and {big}");
        if (pairs < 1) throw new ArgumentOutOfRangeException(nameof(pairs), pairs, "pairs must be >= 1");
        var estimator = new NoiseScaleEstimator(small, big);
        var stream = new ExampleSampler(Enumerable.Range(0, model.TrainingExamples).ToArray(), new RandomStream(seed, "learning.noise-scale"));
        var batch = new int[big];
        var g = new float[model.ParameterCount];
        for (int p = 0; p < pairs; p++)
        {
            stream.Next(batch);
            model.Gradient(parameters, batch.AsSpan(0, small), g);
            double smallNorm = SquaredNorm(g);
            model.Gradient(parameters, batch, g);
            estimator.Add(smallNorm, SquaredNorm(g));
        }
        return estimator;
    }

    private static double SquaredNorm(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float x in v) s += (double)x * x;
        return s;
    }
}
