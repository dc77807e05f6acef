using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary><c>pipeline.fsdp_version</c> in scenario files: it reaches the configuration and lengthens
/// the step by FSDP's copies; without zero_stage 3 it is a located error.</summary>
public sealed class FsdpVersionScenarioTests
{
    private static string Yaml(string pipeline) =>
        "name: t\ncluster: {preset: dgx-h100, nodes: 2}\nmodel: {gpt: {layers: 4, hidden: 2048, heads: 16, sequence: 2048}}\n" +
        "compute: {model: kernels, precision: bf16}\nnetwork: {backend: analytical}\n" +
        $"training: {{mode: pipeline, micro_batch: 1, iterations: 1, gradient_bytes: 4}}\npipeline: {{stages: 1, microbatches: 2, data_parallel: 16, {pipeline}}}\noutputs: {{timeline: false, report: false}}\n";

    private static double Iteration(TrainingScenario s) => RunMetrics.Of(ScenarioRunner.Run(s)).First(kv => kv.Key == "iteration_mean_s").Value;

    [Fact]
    public void Fsdp_version_reaches_the_configuration_and_costs_its_copies()
    {
        var one = TrainingScenario.Parse(Yaml("zero_stage: 3, fsdp_version: 1"), "s.yaml");
        Assert.Equal(1, one.Pipeline!.FsdpVersion);
        var plain = TrainingScenario.Parse(Yaml("zero_stage: 3"), "s.yaml");
        Assert.Null(plain.Pipeline!.FsdpVersion);
        Assert.True(Iteration(one) > Iteration(plain), "FSDP1's gradient copies must lengthen the step");
    }

    [Fact]
    public void Fsdp_version_without_zero_stage_3_is_refused_at_the_key()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("zero_stage: 2, fsdp_version: 2"), "s.yaml"));
        Assert.Matches(@"^s\.yaml:7:\d+: pipeline\.fsdp_version: PyTorch FSDP 1 or 2 with zero_stage 3", e.Message);
    }
}
