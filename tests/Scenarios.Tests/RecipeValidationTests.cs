using Sim.Scenarios.Validation;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Published FP8-versus-BF16 pairs of today's recipes (src/Scenarios/Validation/RecipeMeasurements.cs):
/// the simulated speedup of each pair against the published one. The target is 10%; the bound
/// below is the committed worst error, a regression guard, not a fit.
/// </summary>
public sealed class RecipeValidationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The worst speedup error over the pairs when last committed. Lower it when a mechanism
    /// improves; never raise it to pass.</summary>
    // 7.2% (GPT-3 175B, 512 GPUs) at commit; the four pairs: +5.5%, +7.2%, +1.1%, +2.9%, with the rows run as
    // the recipes do (TP communication overlap, its GEMMs on the SMs TE leaves them, distributed optimizer,
    // Llama 3.1 70B's CP 2) and the sustained Hopper clock. 6.6% before TE's SM margin slowed the pipelined
    // and bulk-overlapped GEMMs for their whole length (the same SMs cost the BF16 GEMMs more time than
    // the FP8 ones); 9.7% (Nemotron-4 340B) with every TP collective exposed; 8.6% while the non-overlapped
    // TP baseline charged sequence parallelism's reduce-scatter + all-gather as one NVLS all-reduce.
    private const double CommittedWorstSpeedupError = 0.073;

    [Fact]
    public void Fp8_speedups_reproduce_the_published_pairs()
    {
        var rows = Fp8SpeedupValidation.Run();
        Assert.Equal(RecipeMeasurements.Fp8Pairs.Count, rows.Count);
        foreach (var r in rows)
            output.WriteLine($"{r.Name}: published {r.PublishedSpeedup:F3}x, predicted {r.PredictedSpeedup:F3}x ({100 * r.RelativeError:+0.0;-0.0}%); " +
                             $"BF16 {r.Bf16.Predicted:F3} s vs {r.Bf16.Measured} s ({100 * r.Bf16.RelativeError:+0.0;-0.0}%), FP8 {r.Fp8.Predicted:F3} s vs {r.Fp8.Measured} s ({100 * r.Fp8.RelativeError:+0.0;-0.0}%)");
        foreach (var r in rows)
        {
            Assert.True(r.PredictedSpeedup > 1, $"{r.Name}: FP8 must be faster than BF16");
            Assert.InRange(Math.Abs(r.RelativeError), 0, CommittedWorstSpeedupError);
        }
    }

    [Fact]
    public void Every_recipe_row_names_its_source_and_pairs_share_model_layout_and_machine()
    {
        foreach (var m in RecipeMeasurements.All)
        {
            Assert.Contains("dgxc-benchmarking", m.Source);
            Assert.True(m.Measured > 0);
        }
        foreach (var p in RecipeMeasurements.Fp8Pairs)
        {
            static string WithoutPrecision(string yaml) => string.Join('\n', yaml.Split('\n').Where(l => !l.StartsWith("compute:", StringComparison.Ordinal) && !l.StartsWith("name:", StringComparison.Ordinal)));
            Assert.Equal(WithoutPrecision(p.Bf16.ScenarioYaml), WithoutPrecision(p.Fp8.ScenarioYaml));
            Assert.Contains("precision: fp8", p.Fp8.ScenarioYaml);
            Assert.Contains("precision: bf16", p.Bf16.ScenarioYaml);
        }
    }
}
