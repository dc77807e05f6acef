using Sim.Core.Statistics;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;
using Xunit.Abstractions;

namespace Sim.Learning.Tests.Dependability;

/// <summary>
/// Runs one loop strategy on a fresh TorchSharp MLP for seeds 1..n and returns each seed's final held-out
/// accuracy (seed i of two strategies shares data order and initialisation, so their differences can be
/// paired by seed), printing a docs table row "| label | mean ± 95% half-width |".
/// </summary>
internal static class MlpSeedRuns
{
    /// <param name="config">The loop configuration for a model and a seed.</param>
    public static double[] FinalAccuracies(ITestOutputHelper output, string label, GaussianBlobs data, int hidden, int seeds,
        Func<IGradientModel, ulong, LoopConfig> config, Func<IGradientModel, ulong, LoopStrategy> strategy)
    {
        var acc = new double[seeds];
        for (int i = 0; i < seeds; i++)
        {
            ulong seed = (ulong)i + 1;
            using var mlp = new TorchMlp(data, hidden);
            acc[i] = strategy(mlp, seed).Run(config(mlp, seed)).Final.Accuracy;
        }
        if (seeds >= 2)
        {
            var ci = ConfidenceInterval.Of(acc);
            output.WriteLine($"| {label} | {ci.Mean:F3} ± {ci.HalfWidth:F3} |");
        }
        return acc;
    }

    /// <summary>95% interval of the per-seed difference a - b, printed with its label.</summary>
    public static ConfidenceInterval Paired(ITestOutputHelper output, string label, double[] a, double[] b)
    {
        var ci = ConfidenceInterval.Of(a.Zip(b, (x, y) => x - y).ToList());
        output.WriteLine($"paired {label}: {ci.Mean:F3} ± {ci.HalfWidth:F3}");
        return ci;
    }
}
