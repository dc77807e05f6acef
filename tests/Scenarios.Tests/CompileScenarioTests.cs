using Sim.Models.Compute;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>`compute.compile: true` switches the kernel model to fused element-wise runs; without the
/// kernel model it is a located error.</summary>
public sealed class CompileScenarioTests
{
    private static string Yaml(string compute, string model = "{gpt: {layers: 4, hidden: 4096, heads: 32, sequence: 2048, vocabulary: 32000}}") => $$"""
        name: x
        cluster: {preset: dgx-h100, nodes: 1}
        model: {{model}}
        compute: {{compute}}
        training: {mode: data_parallel, micro_batch: 1, iterations: 2}
        outputs: {timeline: false, report: false}
        """;

    private static double Iteration(string compute) =>
        RunMetrics.Of(ScenarioRunner.Run(TrainingScenario.Parse(Yaml(compute), "s.yaml"))).First(kv => kv.Key == "iteration_mean_s").Value;

    [Fact]
    public void Compile_fuses_element_wise_runs_and_never_slows_a_step()
    {
        Assert.True(((KernelCompute)TrainingScenario.Parse(Yaml("{precision: bf16, compile: true}"), "s.yaml").Compute).Compile);
        Assert.False(((KernelCompute)TrainingScenario.Parse(Yaml("{precision: bf16}"), "s.yaml").Compute).Compile);
        Assert.True(Iteration("{precision: bf16, compile: true}") < Iteration("{precision: bf16}"));
        Assert.True(Iteration("{precision: fp8, compile: true}") < Iteration("{precision: fp8}"));
    }

    [Fact]
    public void Compile_without_the_kernel_model_is_a_located_error()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("{precision: bf16, model: roofline, compile: true}"), "s.yaml"));
        Assert.Contains("s.yaml:4:", e.Message);
        Assert.Contains("compute.compile: fuses kernels of the kernel compute model", e.Message);
    }
}
