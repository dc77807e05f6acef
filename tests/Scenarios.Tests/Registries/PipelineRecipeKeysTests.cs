using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// The Megatron-Core recipe keys of the pipeline section (context parallelism, TP communication
/// overlap, distributed optimizer, batch rules) as a scenario file carries them: they reach the
/// configuration, and inconsistent values are refused at the key that is wrong.
/// </summary>
public sealed class PipelineRecipeKeysTests
{
    /// <summary>Llama-shaped GPT (GQA) on two DGX H100s, 4k tokens.</summary>
    private static string Yaml(string pipeline, string model = "{gpt: {layers: 8, hidden: 4096, heads: 32, kv_heads: 8, sequence: 4096}}", string training = "") =>
        $"name: t\ncluster: {{preset: dgx-h100, nodes: 2}}\nmodel: {model}\nnetwork: {{backend: flow}}\n" +
        $"training: {{mode: pipeline, micro_batch: 1, iterations: 1{training}}}\npipeline: {{{pipeline}}}\noutputs: {{timeline: false, report: false}}\n";

    [Fact]
    public void Context_parallel_reaches_the_configuration_and_counts_its_gpus()
    {
        var s = TrainingScenario.Parse(Yaml("stages: 2, microbatches: 4, tensor_parallel: 4, context_parallel: 2"), "cp.yaml");
        Assert.Equal(2, s.Pipeline!.ContextParallel);
        Assert.Equal(16, s.Workers);
    }

    [Fact]
    public void A_sequence_the_load_balanced_split_cannot_cut_is_refused_at_context_parallel()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(
            Yaml("stages: 1, microbatches: 4, tensor_parallel: 4, context_parallel: 4", model: "{gpt: {layers: 8, hidden: 4096, heads: 32, sequence: 4100}}"), "cp.yaml"));
        Assert.Matches(@"^cp\.yaml:6:\d+: pipeline\.context_parallel: the sequence length 4100 must be a multiple of 2 x context_parallel = 8", e.Message);
    }

    [Fact]
    public void Too_many_gpus_counts_the_context_parallel_group()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("stages: 2, microbatches: 4, tensor_parallel: 8, context_parallel: 2"), "cp.yaml"));
        Assert.Contains("pipeline.stages: tensor_parallel x context_parallel x stages x data_parallel = 8 x 2 x 2 x 1 = 32 GPUs, but the cluster has 16", e.Message);
    }

    [Fact]
    public void Tp_comm_overlap_reaches_the_configuration_and_needs_sequence_parallelism()
    {
        var s = TrainingScenario.Parse(Yaml("stages: 1, microbatches: 4, tensor_parallel: 8, sequence_parallel: true, tp_comm_overlap: true"), "tp.yaml");
        Assert.True(s.Pipeline!.TensorCommOverlap);
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("stages: 1, microbatches: 4, tensor_parallel: 8, tp_comm_overlap: true"), "tp.yaml"));
        Assert.Matches(@"^tp\.yaml:6:\d+: pipeline\.tp_comm_overlap: needs pipeline\.sequence_parallel", e.Message);
    }
}
