using Sim.Models.Compute;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// FP8 training in scenario files: `precision: fp8` with an optional `fp8: {recipe: ...}` section gets
/// the Transformer Engine recipe on the kernel model; impossible combinations are located errors; an
/// FP8 run of a large transformer is faster than BF16 by less than the ratio of achievable GEMM rates.
/// </summary>
public sealed class Fp8ScenarioTests
{
    private static string Yaml(string preset, string compute, string model = Gpt) => $$"""
        name: x
        cluster: {preset: {{preset}}, nodes: 1}
        model: {{model}}
        compute: {{compute}}
        training: {mode: data_parallel, micro_batch: 1, iterations: 2}
        outputs: {timeline: false, report: false}
        """;

    private const string Gpt = "{gpt: {layers: 4, hidden: 8192, heads: 64, sequence: 4096, vocabulary: 32000}}";

    private static double Iteration(TrainingScenario s) => RunMetrics.Of(ScenarioRunner.Run(s)).First(kv => kv.Key == "iteration_mean_s").Value;

    [Fact]
    public void Fp8_gets_the_transformer_engine_recipe_named_in_the_file()
    {
        var delayed = (KernelCompute)TrainingScenario.Parse(Yaml("dgx-h100", "{precision: fp8}"), "s.yaml").Compute;
        Assert.Equal(Fp8Scaling.Delayed, delayed.Fp8!.Scaling);
        var tensorwise = (KernelCompute)TrainingScenario.Parse(Yaml("dgx-h100", "{precision: fp8, fp8: {recipe: tensorwise}}"), "s.yaml").Compute;
        Assert.Equal(Fp8Scaling.Tensorwise, tensorwise.Fp8!.Scaling);
        Assert.Null(((KernelCompute)TrainingScenario.Parse(Yaml("dgx-h100", "{precision: bf16}"), "s.yaml").Compute).Fp8);
    }

    [Fact]
    public void Fp8_is_faster_than_bf16_by_less_than_the_gemm_rate_ratio_and_tensorwise_costs_more()
    {
        double bf16 = Iteration(TrainingScenario.Parse(Yaml("dgx-h100", "{precision: bf16}"), "s.yaml"));
        double fp8 = Iteration(TrainingScenario.Parse(Yaml("dgx-h100", "{precision: fp8}"), "s.yaml"));
        double tensorwise = Iteration(TrainingScenario.Parse(Yaml("dgx-h100", "{precision: fp8, fp8: {recipe: tensorwise}}"), "s.yaml"));
        Assert.InRange(bf16 / fp8, 1.05, 2 * (1402.6 / 1979) / (794.5 / 989));
        Assert.True(tensorwise > fp8, $"tensorwise {tensorwise} s against delayed {fp8} s");
    }

    [Theory]
    [InlineData("dgx-h100", "{precision: bf16, fp8: {recipe: delayed}}", "s.yaml:4:", "compute.fp8: is an FP8 recipe; it needs compute.precision: fp8")]
    [InlineData("dgx-h100", "{precision: fp8, model: roofline}", "s.yaml:4:", "compute.precision: fp8 is costed GEMM by GEMM")]
    [InlineData("dgx-a100", "{precision: fp8}", "s.yaml:4:", "compute.precision: A100-SXM4-80GB has no fp8 peak")]
    [InlineData("dgx-h100", "{precision: fp8, fp8: {recipe: mxfp8}}", "s.yaml:4:", "compute.fp8.recipe: expected one of delayed, tensorwise")]
    public void Impossible_fp8_settings_are_located_errors(string preset, string compute, string where, string what)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(preset, compute), "s.yaml"));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }
}
