namespace Sim.Models.Learning;

/// <summary>
/// Pollux's statistical efficiency and goodput (Qiao et al., "Pollux: Co-adaptive Cluster Scheduling for
/// Goodput-Optimized Deep Learning", OSDI 2021, §3.1): training at batch M makes
/// EFFICIENCY(M) = (φ + M0) / (φ + M) of the progress per example that the reference batch M0 makes,
/// where φ is the gradient noise scale; GOODPUT(M) = THROUGHPUT(M) × EFFICIENCY(M) is the useful
/// examples per second. It is the examples-to-target ratio E(M0)/E(M) of
/// <see cref="NoiseScaleConvergence"/>, so both views agree on which batch reaches the target first.
/// </summary>
public static class StatisticalEfficiency
{
    /// <summary>(φ + M0) / (φ + M): 1 at M = M0, falling towards 0 as M grows past φ.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a non-positive noise scale or batch.</exception>
    public static double Efficiency(double noiseScale, double referenceBatch, double batch)
    {
        if (!(noiseScale > 0)) throw new ArgumentOutOfRangeException(nameof(noiseScale), noiseScale, "the noise scale must be positive");
        if (!(referenceBatch > 0)) throw new ArgumentOutOfRangeException(nameof(referenceBatch), referenceBatch, "the reference batch must be positive");
        if (!(batch > 0)) throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch must be positive");
        return (noiseScale + referenceBatch) / (noiseScale + batch);
    }

    /// <summary>Throughput (examples/s) × efficiency: examples per second, counted in reference-batch
    /// examples.</summary>
    public static double Goodput(double examplesPerSecond, double noiseScale, double referenceBatch, double batch) =>
        examplesPerSecond * Efficiency(noiseScale, referenceBatch, batch);
}
