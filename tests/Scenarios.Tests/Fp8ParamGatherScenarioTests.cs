using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// <c>pipeline.fp8_param_gather</c> in scenario files: with <c>compute.precision: fp8</c> and the
/// distributed optimizer it reaches the configuration with the file's FP8 recipe and shortens the
/// step by the halved FP8 gather; without FP8 training or a sharded optimizer it is a located error.
/// </summary>
public sealed class Fp8ParamGatherScenarioTests
{
    /// <summary>A GPT on two DGX H100s, 2 stages x 8 data-parallel replicas.</summary>
    private static string Yaml(string precision, string pipeline) =>
        "name: t\ncluster: {preset: dgx-h100, nodes: 2}\nmodel: {gpt: {layers: 4, hidden: 2048, heads: 16, sequence: 2048}}\n" +
        $"compute: {{model: kernels, precision: {precision}}}\nnetwork: {{backend: flow}}\n" +
        $"training: {{mode: pipeline, micro_batch: 1, iterations: 1}}\npipeline: {{stages: 2, microbatches: 4, data_parallel: 8, {pipeline}}}\noutputs: {{timeline: false, report: false}}\n";

    private static double Iteration(TrainingScenario s) => RunMetrics.Of(ScenarioRunner.Run(s)).First(kv => kv.Key == "iteration_mean_s").Value;

    [Fact]
    public void Fp8_param_gather_reaches_the_configuration_and_shortens_the_closing_gather()
    {
        var on = TrainingScenario.Parse(Yaml("fp8", "use_distributed_optimizer: true, fp8_param_gather: true"), "s.yaml");
        Assert.True(on.Pipeline!.Fp8ParamGather);
        Assert.NotNull(on.Pipeline.Fp8);
        var off = TrainingScenario.Parse(Yaml("fp8", "use_distributed_optimizer: true"), "s.yaml");
        Assert.Null(TrainingScenario.Parse(Yaml("bf16", "use_distributed_optimizer: true"), "s.yaml").Pipeline!.Fp8);
        Assert.True(Iteration(on) < Iteration(off), "gathering the FP8 weights at 1 byte must shorten the step's closing all-gather");
    }

    [Theory]
    [InlineData("bf16", "use_distributed_optimizer: true, fp8_param_gather: true", @"pipeline\.fp8_param_gather: needs compute\.precision: fp8")]
    [InlineData("fp8", "fp8_param_gather: true", @"pipeline\.fp8_param_gather: needs pipeline\.use_distributed_optimizer or zero_stage 1-3")]
    public void Fp8_param_gather_without_its_prerequisites_is_refused_at_the_key(string precision, string pipeline, string what)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(precision, pipeline), "s.yaml"));
        Assert.Matches(@"^s\.yaml:7:\d+: " + what, e.Message);
    }
}
