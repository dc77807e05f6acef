namespace Sim.Models.Learning;

/// <summary>
/// Learning-rate rules for data-parallel training. Linear scaling with gradual warm-up (Goyal et al.,
/// "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", arXiv:1706.02677, 2017, §2.1-2.2): for a
/// batch k times the reference batch use k times the reference rate, reached by raising the rate linearly
/// from the reference rate over the first warm-up steps. Staleness-aware scaling (Zhang, Gupta, Lian and
/// Liu, "Staleness-aware Async-SGD for Distributed Deep Learning", IJCAI 2016): divide the rate of a
/// gradient that is τ ≥ 1 updates stale by τ.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>η at the reference batch (&gt; 0).</summary>
    public required double BaseRate { get; init; }
    /// <summary>The batch that <see cref="BaseRate"/> was tuned for (&gt; 0).</summary>
    public required double BaseBatch { get; init; }
    /// <summary>The batch actually used per update (&gt; 0).</summary>
    public required double Batch { get; init; }
    /// <summary>Steps over which the rate rises linearly from BaseRate to the scaled rate; 0: none.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The scaled rate η × Batch / BaseBatch reached after warm-up.</summary>
    public double PeakRate => BaseRate * Batch / BaseBatch;

    /// <summary>The rate of update number <paramref name="step"/> (0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative step or an invalid schedule.</exception>
    public double Rate(long step)
    {
        if (!(BaseRate > 0) || !(BaseBatch > 0) || !(Batch > 0) || WarmupSteps < 0)
            throw new InvalidOperationException("learning-rate schedule needs positive base rate, base batch and batch, and warm-up >= 0");
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be >= 0");
        if (step >= WarmupSteps) return PeakRate;
        return BaseRate + (PeakRate - BaseRate) * step / WarmupSteps;
    }

    /// <summary>η / τ for a gradient τ ≥ 1 updates stale; η when fresh (τ = 0).</summary>
    public static double StalenessAware(double rate, int staleness) =>
        staleness < 0 ? throw new ArgumentOutOfRangeException(nameof(staleness), staleness, "staleness must be >= 0")
        : staleness <= 1 ? rate : rate / staleness;
}
