using Sim.Scenarios.Validation;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Published effects of TP communication overlap and context parallelism (before/after pairs from
/// src/Scenarios/Validation/ParallelismRecipeMeasurements.cs) against the simulated ratio. The target is
/// 10%; each pair is held at its committed error (the unoverlapped baseline charges sequence
/// parallelism's reduce-scatter and all-gather separately, as Megatron and torchtitan run them; the
/// simulated step is faster than torchtitan's published one at 500 W, so only the ratio is compared).
/// </summary>
public sealed class ParallelismRecipeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Relative error of the simulated CP-16-at-128K / 8K MFU ratio when committed: +11.0% with the
    /// causal attention forward kernel at its measured rate relative to the unmasked one (FlashAttention-3
    /// paper Fig. 5; +13.6% before) and the NVLS chunk-pipeline fill in the 8K baseline's TP all-reduces
    /// (+10.6% with the causal rate alone, +13.9% with the fill alone), CP all-gather-based as Meta ran it and the sustained Hopper clock (+16.2% before that clock; +22.9%
    /// while simulated as the ring, which hides the K/V transfers). Lower it when a mechanism improves;
    /// never raise it to pass.</summary>
    private const double CommittedCpRatioError = 0.111;

    /// <summary>Relative error of the simulated async-TP / vanilla-TP throughput ratios when committed:
    /// +5.7% for 70B, +2.7% for 8B (+6.6% / +2.6% before the sustained Hopper clock) with async TP as TorchTitan runs it (GEMMs cut in t chunks timed on
    /// their own shapes, the backward reduce-scatters left unfused); +18.6% / +18.9% while every
    /// collective was hidden forward and backward behind uncut GEMMs. Lower it when a mechanism
    /// improves; never raise it to pass.</summary>
    private const double CommittedTpGainError = 0.07;

    private (double Published, double Simulated, double Error) Run(string name)
    {
        var gain = ParallelismRecipeMeasurements.Gains.Single(g => g.Name == name);
        var (baseline, variant, ratio) = gain.Simulate();
        double error = ratio / gain.PublishedRatio - 1;
        output.WriteLine($"{name}: baseline measured {baseline.Measured:G4} predicted {baseline.Predicted:G4} ({100 * baseline.RelativeError:+0.0;-0.0}%), " +
                         $"variant measured {variant.Measured:G4} predicted {variant.Predicted:G4} ({100 * variant.RelativeError:+0.0;-0.0}%); " +
                         $"ratio published {gain.PublishedRatio:F3} simulated {ratio:F3} ({100 * error:+0.0;-0.0}%)");
        return (gain.PublishedRatio, ratio, error);
    }

    [Theory]
    [InlineData("torchtitan-llama3-70b-async-tp")]
    [InlineData("torchtitan-llama3-8b-async-tp")]
    public void Tp_overlap_gain_error_does_not_rise_above_the_committed_figure(string name)
    {
        var (published, simulated, error) = Run(name);
        Assert.True(simulated > 1, "overlap must speed the run up");
        Assert.True(Math.Abs(error) <= CommittedTpGainError, $"simulated gain {simulated:F3} vs published {published:F3}");
    }

    [Fact]
    public void Context_parallel_ratio_error_does_not_rise_above_the_committed_figure()
    {
        var (_, _, error) = Run("llama3-405b-cp16-128k-vs-8k");
        Assert.InRange(Math.Abs(error), 0, CommittedCpRatioError);
    }

    /// <summary>Largest relative error over the points of each published CP scaling curve when committed
    /// (ratios to the curve's first point). Lower it when a mechanism improves; never raise it to pass.</summary>
    private static readonly Dictionary<string, double> CommittedCurveError = new()
    {
        ["nemo-llama2-7b-fp8-h100-long-sequence"] = 0.090, // +8.9% at 1024K (CP 32), +7.0% at 256K, -2.0% at 16K
    };

    [Theory]
    [InlineData("nemo-llama2-7b-fp8-h100-long-sequence")]
    public void Context_parallel_curve_error_does_not_rise_above_the_committed_figure(string name)
    {
        var curve = ContextParallelCurves.All.Single(c => c.Name == name);
        double worst = 0;
        foreach (var (row, published, simulated) in curve.Simulate())
        {
            double error = simulated / published - 1;
            worst = Math.Max(worst, Math.Abs(error));
            output.WriteLine($"{row.Name}: measured {row.Measured:G4} predicted {row.Predicted:G4} ({100 * row.RelativeError:+0.0;-0.0}%), " +
                             $"ratio to first published {published:F3} simulated {simulated:F3} ({100 * error:+0.0;-0.0}%)");
        }
        output.WriteLine($"worst point {100 * worst:F1}%");
        Assert.InRange(worst, 0, CommittedCurveError[name]);
    }
}
