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
    public void Async_tensor_parallel_selects_the_symmetric_memory_overlap_and_excludes_tp_comm_overlap()
    {
        var s = TrainingScenario.Parse(Yaml("stages: 1, microbatches: 4, tensor_parallel: 4, sequence_parallel: true, async_tensor_parallel: true"), "tp.yaml");
        Assert.True(s.Pipeline!.TensorCommOverlap);
        Assert.Equal(Sim.Models.Training.Pipeline.TensorOverlapMethod.SymmetricMemory, s.Pipeline.TensorOverlapMethod);
        var megatron = TrainingScenario.Parse(Yaml("stages: 1, microbatches: 4, tensor_parallel: 4, sequence_parallel: true, tp_comm_overlap: true"), "tp.yaml");
        Assert.Equal(Sim.Models.Training.Pipeline.TensorOverlapMethod.UserBuffers, megatron.Pipeline!.TensorOverlapMethod);

        var both = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(
            Yaml("stages: 1, microbatches: 4, tensor_parallel: 4, sequence_parallel: true, tp_comm_overlap: true, async_tensor_parallel: true"), "tp.yaml"));
        Assert.Matches(@"^tp\.yaml:6:\d+: pipeline\.async_tensor_parallel: .*keep one", both.Message);
        var noSp = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("stages: 1, microbatches: 4, tensor_parallel: 4, async_tensor_parallel: true"), "tp.yaml"));
        Assert.Matches(@"^tp\.yaml:6:\d+: pipeline\.async_tensor_parallel: needs pipeline\.sequence_parallel", noSp.Message);
    }

    [Fact]
    public void Cp_comm_type_reaches_the_configuration_and_unknown_values_are_located()
    {
        var s = TrainingScenario.Parse(Yaml("stages: 2, microbatches: 4, tensor_parallel: 4, context_parallel: 2, cp_comm_type: all_gather"), "cp.yaml");
        Assert.Equal(Sim.Models.Training.Pipeline.ContextParallelCommType.AllGather, s.Pipeline!.ContextParallelCommType);
        Assert.Equal(Sim.Models.Training.Pipeline.ContextParallelCommType.P2P,
            TrainingScenario.Parse(Yaml("stages: 2, microbatches: 4, tensor_parallel: 4, context_parallel: 2"), "cp.yaml").Pipeline!.ContextParallelCommType);
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("stages: 2, microbatches: 4, tensor_parallel: 4, context_parallel: 2, cp_comm_type: a2a"), "cp.yaml"));
        Assert.Matches(@"^cp\.yaml:6:\d+: pipeline\.cp_comm_type", e.Message);
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

    [Fact]
    public void Global_batch_sets_the_micro_batches_as_megatron_does()
    {
        // 2 replicas x micro_batch 2: global batch 32 = 2 x 8 x 2.
        var s = TrainingScenario.Parse(Yaml("stages: 2, tensor_parallel: 4, data_parallel: 2, global_batch: 32", training: ", micro_batch: 2").Replace("micro_batch: 1, ", ""), "gb.yaml");
        Assert.Equal(8, s.Pipeline!.Microbatches);
        Assert.Equal(8, TrainingScenario.Parse(Yaml("stages: 2, tensor_parallel: 4, data_parallel: 2, microbatches: 8, global_batch: 32", training: ", micro_batch: 2").Replace("micro_batch: 1, ", ""), "gb.yaml").Pipeline!.Microbatches);
    }

    [Theory]
    [InlineData("stages: 2, tensor_parallel: 4, data_parallel: 2, global_batch: 30", @"pipeline\.global_batch: 30 is not a multiple of training\.micro_batch x data_parallel = 2 x 2 = 4")]
    [InlineData("stages: 2, tensor_parallel: 4, data_parallel: 2, microbatches: 4, global_batch: 32", @"pipeline\.global_batch: 32 disagrees with training\.micro_batch x microbatches x data_parallel = 2 x 4 x 2 = 16")]
    [InlineData("stages: 2, tensor_parallel: 4, data_parallel: 2", @"pipeline\.microbatches: missing: give microbatches or global_batch")]
    [InlineData("stages: 2, tensor_parallel: 4, microbatches: 4, use_distributed_optimizer: true, zero_stage: 3", @"pipeline\.use_distributed_optimizer: the distributed optimizer is ZeRO-1")]
    [InlineData("stages: 2, tensor_parallel: 4, microbatches: 4, overlap_param_gather: true", @"pipeline\.overlap_param_gather: needs pipeline\.use_distributed_optimizer")]
    [InlineData("stages: 2, tensor_parallel: 4, microbatches: 4, schedule: interleaved, virtual_stages: 3, partition: uniform", @"pipeline\.virtual_stages: the uniform \(Megatron-LM\) split needs the 8 transformer layers")]
    public void Inconsistent_recipe_settings_are_refused_at_their_key(string pipeline, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(pipeline, training: ", micro_batch: 2").Replace("micro_batch: 1, ", ""), "r.yaml"));
        Assert.Matches(@"^r\.yaml:6:\d+: " + expected, e.Message);
    }

    [Fact]
    public void The_distributed_optimizer_is_zero_1_with_the_overlap_switches()
    {
        var s = TrainingScenario.Parse(Yaml("stages: 2, tensor_parallel: 4, microbatches: 4, use_distributed_optimizer: true, overlap_param_gather: true, overlap_grad_reduce: false"), "d.yaml");
        Assert.Equal(Sim.Models.Memory.ZeroStage.OptimizerStates, s.Pipeline!.Zero);
        Assert.True(s.Pipeline.OverlapParamGather);
        Assert.False(s.Pipeline.OverlapGradReduce);
    }
}
