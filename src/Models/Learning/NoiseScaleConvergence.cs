namespace Sim.Models.Learning;

/// <summary>
/// Steps and examples to reach a training target as a function of batch size, from the gradient noise
/// scale (McCandlish, Kaplan, Amodei and OpenAI Dota team, "An Empirical Model of Large-Batch Training",
/// arXiv:1812.06162, 2018, eq. 2.11): S(B) = S_min (1 + B_noise / B) optimiser steps and
/// E(B) = E_min (1 + B / B_noise) examples, with E_min = S_min B_noise, so that
/// (S/S_min - 1)(E/E_min - 1) = 1. Below the critical batch B_noise the step count falls as 1/B (perfect
/// scaling: each doubling of the batch halves the steps); above it the steps approach S_min (diminishing
/// returns), the shape Shallue et al. measured across workloads ("Measuring the Effects of Data
/// Parallelism on Neural Network Training", JMLR 20, 2019).
/// </summary>
/// <remarks>The two constants describe one model, data set, optimiser and target; they come from a
/// measurement (<see cref="NoiseScaleEstimator"/> on real gradients, or a published table), never from
/// fitting the time-to-target this class is used to predict.</remarks>
public sealed record NoiseScaleConvergence
{
    /// <summary>S_min: steps to the target with an infinitely large batch (&gt; 0).</summary>
    public double MinSteps { get; }

    /// <summary>B_noise (the critical batch, in examples, &gt; 0): the batch at which steps are twice
    /// S_min and examples twice E_min.</summary>
    public double NoiseScale { get; }

    /// <exception cref="ArgumentOutOfRangeException">either constant is not a positive finite number.</exception>
    public NoiseScaleConvergence(double minSteps, double noiseScale)
    {
        if (!(minSteps > 0) || double.IsInfinity(minSteps)) throw new ArgumentOutOfRangeException(nameof(minSteps), minSteps, "S_min must be a positive finite number of steps");
        if (!(noiseScale > 0) || double.IsInfinity(noiseScale)) throw new ArgumentOutOfRangeException(nameof(noiseScale), noiseScale, "B_noise must be a positive finite number of examples");
        MinSteps = minSteps;
        NoiseScale = noiseScale;
    }

    /// <summary>E_min = S_min B_noise: examples to the target with a vanishingly small batch.</summary>
    public double MinExamples => MinSteps * NoiseScale;

    /// <summary>S(B) = S_min (1 + B_noise / B).</summary>
    public double StepsToTarget(double batch) => MinSteps * (1 + NoiseScale / CheckBatch(batch));

    /// <summary>E(B) = E_min (1 + B / B_noise) = B S(B).</summary>
    public double ExamplesToTarget(double batch) => MinExamples * (1 + CheckBatch(batch) / NoiseScale);

    /// <summary>The speed-up in steps from batch <paramref name="from"/> to batch <paramref name="to"/>:
    /// S(from) / S(to). Equals to/from (perfect scaling) when both are far below B_noise and tends to 1
    /// far above it.</summary>
    public double StepSpeedup(double from, double to) => StepsToTarget(from) / StepsToTarget(to);

    private static double CheckBatch(double batch) =>
        batch > 0 && !double.IsInfinity(batch) ? batch : throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch size must be a positive finite number of examples");
}
